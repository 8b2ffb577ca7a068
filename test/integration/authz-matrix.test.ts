import { INestApplication } from '@nestjs/common';
import { NativeConnection } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { Client as PgClient } from 'pg';
import pino from 'pino';
import request from 'supertest';
import { createApiApp } from '../../apps/api/src/bootstrap';
import { CaseWorker, createCaseWorker } from '../../apps/worker/src/case-worker';
import { seedDemoData } from '../../libs/persistence/src';
import { bearer, coordinatorOf, DEMO_PASSWORD, handlerOf, TEST_AUTH, tokenFor } from '../support/auth';
import { quietTemporalRuntime } from '../support/quiet-runtime';
import { createScratchDatabase, ScratchDatabase } from '../support/scratch-database';
import { requiredTestEnv, TEST_ENV } from '../support/test-env';

/**
 * Every endpoint of the API × every role (and a handler of another unit, and no token at all), against the status
 * each must get with a valid request: 2xx, a 4xx of the process (409 a step out of turn, 404), 401 or 403. Calls
 * that change something get throwaway resources where they succeed. A route the router has and this table lacks
 * fails the run. Then the task inbox's own guarantees: one winner of two claims, no action on a closed task, and
 * no unmasked phone number in any answer. Runs on a database of its own (it adds calendar days).
 */
describe('authorization matrix', () => {
  const ROLES = [
    'anonymous',
    'operator',
    'handler',
    'otherHandler',
    'coordinator',
    'designer',
    'auditor',
    'admin',
  ] as const;
  type Role = (typeof ROLES)[number];
  type Staff = Exclude<Role, 'anonymous'>;
  const USERS: Record<Staff, string> = {
    operator: 'operator',
    handler: handlerOf('s-hubin'),
    otherHandler: handlerOf('dept-housing'),
    coordinator: coordinatorOf('cc-c-xiyuan'),
    designer: 'designer',
    auditor: 'auditor',
    admin: 'admin',
  };
  /** A second handler of 湖滨街道, to claim against the first and to hand tasks to. */
  const colleague = `handler2.s-hubin-${randomUUID().slice(0, 6)}`;
  /** The citizen's phone on every case made here: no answer may show it unmasked. */
  const PHONE = '13912345678';
  const address = requiredTestEnv(TEST_ENV.temporalAddress);
  const taskQueue = `it-authz-${randomUUID()}`;
  let scratch: ScratchDatabase;
  let app: INestApplication;
  let connection: NativeConnection;
  let worker: CaseWorker;
  let pg: PgClient;
  const tokens = {} as Record<Staff | 'colleague', string>;
  const userIds = {} as Record<Staff | 'colleague', string>;
  /** Every response body, for the masking check. */
  const answers: string[] = [];

  /** A case awaiting signature by 湖滨街道 (refused actions change nothing, so every role tries them on it). */
  let sharedCase: string;
  let sharedSignTask: string;
  /** Synthetic tasks of 湖滨街道 on a case of their own: open, and claimed by the colleague. */
  let openTask: string;
  let colleaguesTask: string;

  beforeAll(async () => {
    quietTemporalRuntime();
    scratch = await createScratchDatabase('it_authz');
    await seedDemoData(scratch.url);
    connection = await NativeConnection.connect({ address });
    worker = await createCaseWorker({ databaseUrl: scratch.url, connection, namespace: 'default', taskQueue });
    void worker.run();
    app = await createApiApp({
      databaseUrl: scratch.url,
      temporal: { address, namespace: 'default', taskQueue },
      logger: pino({ level: 'silent' }),
      auth: TEST_AUTH,
    });
    await app.init();
    pg = new PgClient({ connectionString: scratch.url });
    await pg.connect();
    await pg.query(
      `INSERT INTO users (username, display_name, password_hash, role, unit_id)
       VALUES ($1, '湖滨街道办理人乙（测试）', 'scrypt$unusable', 'handler', 's-hubin')`,
      [colleague],
    );
    for (const [who, username] of [...Object.entries(USERS), ['colleague', colleague]]) {
      tokens[who as Staff] = await tokenFor(app, username);
      userIds[who as Staff] = (await pg.query(`SELECT id FROM users WHERE username = $1`, [username])).rows[0].id;
    }
    sharedCase = await freshCase('awaiting-sign');
    sharedSignTask = await openTaskOf(sharedCase, 'sign');
    openTask = await syntheticTask();
    colleaguesTask = await syntheticTask('colleague');
  });

  afterAll(async () => {
    await app?.close();
    await worker?.shutdown();
    await connection?.close();
    await pg?.end();
    await scratch?.drop();
  });

  const http = () => request(app.getHttpServer());

  function submission() {
    return {
      kind: 'complaint',
      category: 'noise-nuisance',
      channel: 'hotline',
      description: '夜间施工噪声扰民',
      // Unique per case: intake links a request at an open case's address to it as a duplicate.
      address: `示范市东湖区湖滨路${randomUUID().slice(0, 8)}号`,
      citizen: { name: '赵先生', phone: PHONE },
      place: { communityId: 'c-xiyuan', streetId: 's-hubin', districtId: 'd-donghu' },
    };
  }

  async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  const openTaskOf = (caseNo: string, step: string) =>
    until(`the ${step} task of ${caseNo}`, async () => {
      const rows = await pg.query<{ id: string }>(
        `SELECT id FROM tasks WHERE case_no = $1 AND step = $2 AND status <> 'closed'`,
        [caseNo, step],
      );
      return rows.rows[0]?.id;
    });

  const caseAction = (who: Staff, caseNo: string, action: string, body: object = {}) =>
    http().post(`/api/v1/cases/${caseNo}/${action}`).set(bearer(tokens[who])).send(body);

  /** A new case of 湖滨街道 (lead unit) awaiting signature, signed, or escalated to 西苑社区's committee. */
  async function freshCase(stage: 'awaiting-sign' | 'signed' | 'escalated'): Promise<string> {
    const created = await http().post('/api/v1/cases').send(submission()).expect(201);
    const caseNo: string = created.body.caseNo;
    await openTaskOf(caseNo, 'sign');
    if (stage !== 'awaiting-sign') await caseAction('handler', caseNo, 'sign').expect(200);
    if (stage === 'escalated') await caseAction('handler', caseNo, 'escalate', { reason: '需社区协调' }).expect(200);
    return caseNo;
  }

  /** A task row of 湖滨街道 on a case row no workflow owns (claims never reach a workflow). */
  async function syntheticTask(claimedBy?: Staff | 'colleague'): Promise<string> {
    const caseNo = `2099${String(Math.floor(Math.random() * 1e10)).padStart(10, '0')}`;
    await pg.query(
      `INSERT INTO cases (case_no, workflow_id, kind, category, urgency, channel, status, stage, description,
                          citizen_phone, rules_version, received_at)
       VALUES ($1, 'synthetic-' || $1, 'complaint', 'it-authz', 'normal', 'hotline', 'closed', 'closed', '测试',
               $2, 'beijing@1', now())`,
      [caseNo, PHONE],
    );
    const claimer = claimedBy ? userIds[claimedBy] : null;
    const rows = await pg.query<{ id: string }>(
      `INSERT INTO tasks (task_key, case_no, step, unit_id, candidate_role, status, claimed_by, claimed_at, category,
                          created_at, due_at)
       VALUES ($1, $2, 'sign', 's-hubin', 'handler', $3, $4, $5, 'it-authz', now(), now() + interval '1 day')
       RETURNING id`,
      [`${caseNo}:sign`, caseNo, claimer ? 'claimed' : 'open', claimer, claimer ? new Date() : null],
    );
    return rows.rows[0].id;
  }

  // ---- the matrix -------------------------------------------------------------------------------------------

  interface Call {
    path: string;
    body?: object;
    /** A token of its own (logout revokes the one it is sent with). */
    token?: string;
  }
  interface Endpoint {
    method: 'GET' | 'POST' | 'DELETE';
    /** The route as the router registers it. */
    route: string;
    /** The status each caller must get; several means any of them. */
    expect: Record<Role, number | number[]>;
    call(role: Role): Call | Promise<Call>;
    /** What the row is about, when one route has several rows. */
    note?: string;
  }

  /** `allowed` as given, anonymous 401, every other role `others` (403 by default). */
  const only = (allowed: Partial<Record<Role, number | number[]>>, others = 403): Record<Role, number | number[]> =>
    Object.fromEntries(ROLES.map((role) => [role, allowed[role] ?? (role === 'anonymous' ? 401 : others)])) as never;
  /** Every staff role gets `status`, anonymous 401. */
  const staff = (status: number, overrides: Partial<Record<Role, number>> = {}) =>
    only({ ...Object.fromEntries(ROLES.map((role) => [role, status])), anonymous: 401, ...overrides });
  const everyone = (status: number | number[]) => Object.fromEntries(ROLES.map((role) => [role, status])) as never;
  const CASE_READERS = { operator: 200, handler: 200, otherHandler: 200, coordinator: 200, auditor: 200, admin: 200 };
  const HANDLERS = (status: number, other = status) => ({ handler: status, otherHandler: other });

  const sharedOr = (fresh: Role, stage: 'awaiting-sign' | 'signed' | 'escalated') => async (role: Role) =>
    role === fresh ? freshCase(stage) : sharedCase;
  const caseRoute = (
    action: string,
    expect: Record<Role, number | number[]>,
    body: object,
    caseFor: (role: Role) => string | Promise<string> = () => sharedCase,
  ): Endpoint => ({
    method: 'POST',
    route: `/api/v1/cases/:caseNo/${action}`,
    expect,
    call: async (role) => ({ path: `/api/v1/cases/${await caseFor(role)}/${action}`, body }),
  });
  const deadlineQuery = `from=${encodeURIComponent('2026-11-23T10:00:00+08:00')}&duration=7WD`;
  /** Working days of December 2027 (covered, far from every deadline here), each added or removed once. */
  const spareDays = ['2027-12-20', '2027-12-21', '2027-12-22', '2027-12-23', '2027-12-24', '2027-12-27'];
  const writer = (role: Role) => role === 'designer' || role === 'admin';
  const dayFor = (role: Role) => (writer(role) ? spareDays.shift()! : '2027-12-31');
  const addDay = async (date: string) =>
    http()
      .post('/api/v1/calendars/current/days')
      .set(bearer(tokens.designer))
      .send({ date, working: false, name: '测试休息日', reason: '权限矩阵' })
      .expect(201);

  const ENDPOINTS: Endpoint[] = [
    { method: 'GET', route: '/health', expect: everyone(200), call: () => ({ path: '/health' }) },
    // Readiness depends on the worker having polled lately, not on the caller.
    { method: 'GET', route: '/ready', expect: everyone([200, 503]), call: () => ({ path: '/ready' }) },
    // The OpenAPI document and its UI are public.
    ...[
      '/api/docs',
      '/api/docs/',
      '/api/docs/index.html',
      '/api/docs/swagger-ui-init.js',
      '/api/docs/docs/swagger-ui-init.js',
      '/api/docs-json',
      '/api/docs-yaml',
    ].map((path): Endpoint => ({ method: 'GET', route: path, expect: everyone([200, 301]), call: () => ({ path }) })),
    // auth
    {
      method: 'POST',
      route: '/api/v1/auth/login',
      expect: everyone(200),
      call: () => ({ path: '/api/v1/auth/login', body: { username: 'auditor', password: DEMO_PASSWORD } }),
    },
    {
      method: 'POST',
      route: '/api/v1/auth/logout',
      expect: staff(204),
      call: async (role) => ({
        path: '/api/v1/auth/logout',
        token: role === 'anonymous' ? undefined : await tokenFor(app, USERS[role]),
      }),
    },
    { method: 'GET', route: '/api/v1/auth/me', expect: staff(200), call: () => ({ path: '/api/v1/auth/me' }) },
    {
      method: 'POST',
      route: '/api/v1/auth/api-tokens',
      expect: only({ admin: 201 }),
      call: () => ({
        path: '/api/v1/auth/api-tokens',
        body: { name: `matrix-${randomUUID().slice(0, 8)}`, role: 'handler', unitId: 's-hubin', expiresInDays: 1 },
      }),
    },
    {
      method: 'GET',
      route: '/api/v1/auth/api-tokens',
      expect: only({ admin: 200, auditor: 200 }),
      call: () => ({ path: '/api/v1/auth/api-tokens' }),
    },
    {
      method: 'DELETE',
      route: '/api/v1/auth/api-tokens/:id',
      expect: only({ admin: 204 }),
      call: async (role) => {
        if (role !== 'admin') return { path: `/api/v1/auth/api-tokens/${randomUUID()}` };
        const created = await http()
          .post('/api/v1/auth/api-tokens')
          .set(bearer(tokens.admin))
          .send({ name: `revoke-${randomUUID().slice(0, 8)}`, role: 'auditor', unitId: 'city-demo' })
          .expect(201);
        return { path: `/api/v1/auth/api-tokens/${created.body.id}` };
      },
    },
    // cases
    {
      method: 'POST',
      route: '/api/v1/cases',
      expect: everyone(201),
      call: () => ({ path: '/api/v1/cases', body: submission() }),
    },
    {
      method: 'GET',
      route: '/api/v1/cases/:caseNo',
      note: 'handlers and coordinators read the cases of their units (here: the lead street and its community committee)',
      expect: only({ ...CASE_READERS, otherHandler: 403 }),
      call: () => ({ path: `/api/v1/cases/${sharedCase}` }),
    },
    {
      method: 'GET',
      route: '/api/v1/cases/:caseNo/citizen-contact',
      // Operator only; and only while the case awaits call-back (this one awaits signature).
      expect: only({ operator: 409 }),
      call: () => ({ path: `/api/v1/cases/${sharedCase}/citizen-contact` }),
    },
    {
      method: 'GET',
      route: '/api/v1/public/cases/:caseNo',
      expect: everyone(200),
      call: () => ({ path: `/api/v1/public/cases/${sharedCase}` }),
    },
    // case actions: the lead unit's handler succeeds on a throwaway case in the right state; the other unit's
    // handler gets the workflow's WrongUnit (403) or, out of turn, its WrongState (409); other roles the guard's 403
    caseRoute('sign', only(HANDLERS(200, 403)), {}, sharedOr('handler', 'awaiting-sign')),
    caseRoute('return', only(HANDLERS(200, 403)), { reason: '不属本辖区' }, sharedOr('handler', 'awaiting-sign')),
    caseRoute(
      'redispatch',
      only({ operator: 409 }),
      { leadUnitId: 's-wenchang', arbitrated: false, reason: '改派' },
      () => sharedCase,
    ),
    caseRoute('contact', only(HANDLERS(200, 409)), { note: '已联系' }, sharedOr('handler', 'signed')),
    caseRoute(
      'extension-request',
      only(HANDLERS(200, 409)),
      { workingDays: 3, reason: '需协调' },
      sharedOr('handler', 'signed'),
    ),
    caseRoute('extension-decision', only({ operator: 409 }), { approved: true, reason: '同意' }),
    caseRoute('suspend', only(HANDLERS(409)), { reason: '等待市民' }),
    caseRoute('resume', only(HANDLERS(409)), { reason: '市民已回复' }),
    caseRoute(
      'whistle',
      only(HANDLERS(200, 409)),
      { departmentIds: ['dept-urban-management'], grade: 'blue', reason: '需执法' },
      sharedOr('handler', 'signed'),
    ),
    caseRoute('escalate', only(HANDLERS(200, 409)), { reason: '需协调' }, sharedOr('handler', 'signed')),
    caseRoute(
      'coordinate',
      only({ coordinator: 200 }),
      { instruction: '街道牵头处理' },
      sharedOr('coordinator', 'escalated'),
    ),
    caseRoute('reply', only(HANDLERS(409)), { result: 'solved', summary: '已解决' }),
    caseRoute('review', only({ operator: 409 }), { accepted: true }),
    caseRoute('callback', only({ operator: 409 }), { reached: false }),
    // No whistle round exists on the shared case: the handlers get past the guard to a 404.
    ...(['report', 'result', 'ratings'] as const).map(
      (step): Endpoint => ({
        method: 'POST',
        route: `/api/v1/cases/:caseNo/whistle-rounds/:round/${step}`,
        expect: only(HANDLERS(404)),
        call: () => ({
          path: `/api/v1/cases/${sharedCase}/whistle-rounds/1/${step}`,
          body: {
            report: { note: '已到场' },
            result: { summary: '已处理' },
            ratings: { departmentId: 'dept-housing', score: 4 },
          }[step],
        }),
      }),
    ),
    // calendar
    ...['', '/deadline', '/versions/1', '/versions/1/deadline'].map(
      (suffix): Endpoint => ({
        method: 'GET',
        route: `/api/v1/calendars/current${suffix.replace('/1', '/:version')}`,
        expect: staff(200),
        call: () => ({
          path: `/api/v1/calendars/current${suffix}${suffix.endsWith('deadline') ? `?${deadlineQuery}` : ''}`,
        }),
      }),
    ),
    {
      method: 'POST',
      route: '/api/v1/calendars/current/days',
      expect: only({ designer: 201, admin: 201 }),
      call: (role) => ({
        path: '/api/v1/calendars/current/days',
        body: { date: dayFor(role), working: false, name: '测试休息日', reason: '权限矩阵' },
      }),
    },
    {
      method: 'DELETE',
      route: '/api/v1/calendars/current/days/:date',
      expect: only({ designer: 200, admin: 200 }),
      call: async (role) => {
        const date = dayFor(role);
        if (writer(role)) await addDay(date);
        return { path: `/api/v1/calendars/current/days/${date}?reason=${encodeURIComponent('撤回')}` };
      },
    },
    // tasks
    {
      method: 'GET',
      route: '/api/v1/tasks',
      note: "one's own unit",
      expect: only(CASE_READERS),
      call: () => ({ path: '/api/v1/tasks' }),
    },
    {
      method: 'GET',
      route: '/api/v1/tasks',
      note: "湖滨街道's inbox",
      expect: only({ handler: 200, auditor: 200, admin: 200 }),
      call: () => ({ path: '/api/v1/tasks?unit=s-hubin' }),
    },
    {
      method: 'POST',
      route: '/api/v1/tasks/:id/claim',
      // Admins hold no unit's tasks: they may release or hand on a claim, not take one.
      expect: only({ handler: 200 }),
      call: async (role) => ({ path: `/api/v1/tasks/${role === 'handler' ? await syntheticTask() : openTask}/claim` }),
    },
    {
      method: 'POST',
      route: '/api/v1/tasks/:id/unclaim',
      expect: only({ handler: 200, admin: 200 }),
      call: async (role) => ({
        path: `/api/v1/tasks/${
          role === 'handler'
            ? await syntheticTask('handler')
            : role === 'admin'
              ? await syntheticTask('colleague')
              : colleaguesTask
        }/unclaim`,
      }),
    },
    {
      method: 'POST',
      route: '/api/v1/tasks/:id/reassign',
      expect: only({ handler: 200, admin: 200 }),
      call: async (role) => ({
        path: `/api/v1/tasks/${
          role === 'handler' ? await syntheticTask() : role === 'admin' ? await syntheticTask('handler') : openTask
        }/reassign`,
        body: { username: colleague },
      }),
    },
    {
      method: 'POST',
      route: '/api/v1/tasks/:id/actions/:action',
      expect: only({ handler: 200 }),
      call: async (role) => ({
        path: `/api/v1/tasks/${
          role === 'handler' ? await openTaskOf(await freshCase('awaiting-sign'), 'sign') : sharedSignTask
        }/actions/sign`,
      }),
    },
  ];

  async function send(endpoint: Endpoint, role: Role) {
    const call = await endpoint.call(role);
    const token = call.token ?? (role === 'anonymous' ? undefined : tokens[role]);
    let req = http()[endpoint.method === 'GET' ? 'get' : endpoint.method === 'POST' ? 'post' : 'delete'](call.path);
    if (token) req = req.set(bearer(token));
    const response = call.body ? await req.send(call.body) : await req;
    answers.push(response.text ?? '');
    return response;
  }

  it.each(ENDPOINTS.map((endpoint) => [`${endpoint.method} ${endpoint.route}`, endpoint.note ?? '', endpoint]))(
    'should answer %s %s as the matrix says for every role',
    async (_route, _note, endpoint) => {
      const wrong: string[] = [];
      for (const role of ROLES) {
        const response = await send(endpoint, role);
        const expected = [endpoint.expect[role]].flat();
        if (!expected.includes(response.status)) {
          wrong.push(`${role}: ${response.status} (expected ${expected.join(' or ')}) ${response.text.slice(0, 160)}`);
        }
      }
      expect(wrong).toEqual([]);
    },
  );

  /** Every route the router serves, as `METHOD /path` (middleware mounted on every path left out). */
  function servedRoutes(): string[] {
    const router = (app.getHttpAdapter().getInstance() as { router: { stack: RouterLayer[] } }).router;
    const routes = router.stack
      .filter((layer) => layer.route && layer.route.path !== '/{*path}')
      .flatMap((layer) =>
        Object.keys(layer.route!.methods)
          .filter((method) => method !== '_all')
          .map((method) => `${method.toUpperCase()} ${layer.route!.path}`),
      );
    return [...new Set(routes)];
  }
  const listed = () => new Set(ENDPOINTS.map((endpoint) => `${endpoint.method} ${endpoint.route}`));
  /**
   * Contexts built alongside this table (rules, scores, notifications, audit) whose rows their owners add; until
   * then each of their routes gets the anonymous row below. Any other route without a row fails.
   */
  const ROWS_PENDING = ['/api/v1/rules', '/api/v1/scores', '/api/v1/me/', '/api/v1/audit'];

  it('should have a matrix row for every route the router serves (but the contexts whose rows are pending)', () => {
    const missing = servedRoutes().filter((route) => !listed().has(route));
    expect(missing.filter((route) => !ROWS_PENDING.some((prefix) => route.split(' ')[1].startsWith(prefix)))).toEqual(
      [],
    );
  });

  it('should refuse every route without a row to a caller without a token', async () => {
    const unlisted = servedRoutes().filter((route) => !listed().has(route));
    const wrong: string[] = [];
    for (const route of unlisted) {
      const [method, path] = route.split(' ');
      const concrete = path.replace(/:[A-Za-z]+/g, randomUUID());
      const response = await http()[method.toLowerCase() as 'get'](concrete);
      answers.push(response.text ?? '');
      if (response.status !== 401) wrong.push(`${route}: ${response.status}`);
    }
    expect(wrong).toEqual([]);
  });

  // ---- the task inbox's guarantees --------------------------------------------------------------------------

  const claim = (who: Staff | 'colleague', id: string) =>
    http().post(`/api/v1/tasks/${id}/claim`).set(bearer(tokens[who]));
  const actOnTask = (who: Staff | 'colleague', id: string, action: string, body: object = {}) =>
    http().post(`/api/v1/tasks/${id}/actions/${action}`).set(bearer(tokens[who])).send(body);

  it('should let exactly one of two colleagues claiming a task at once have it, the other told who', async () => {
    for (let round = 0; round < 5; round++) {
      const id = await syntheticTask();
      const [first, second] = await Promise.all([claim('handler', id), claim('colleague', id)]);
      expect([first.status, second.status].sort()).toEqual([200, 409]);
      const [won, lost] = first.status === 200 ? [first, second] : [second, first];
      const winner = first.status === 200 ? USERS.handler : colleague;
      expect(won.body).toMatchObject({ id, status: 'claimed', claim: { username: winner } });
      expect(lost.body).toMatchObject({ error: 'ActionRefused', message: expect.stringMatching(/^TaskClaimed: /) });
      expect(lost.body.message).toContain(winner);
      const row = await pg.query(`SELECT claimed_by FROM tasks WHERE id = $1`, [id]);
      expect(row.rows[0].claimed_by).toBe(won.body.claim.userId);
    }
  });

  it('should refuse acting on a task another person claimed, and let the claimer act', async () => {
    const caseNo = await freshCase('awaiting-sign');
    const id = await openTaskOf(caseNo, 'sign');
    await claim('colleague', id).expect(200);
    const refused = await actOnTask('handler', id, 'sign').expect(409);
    expect(refused.body.message).toMatch(new RegExp(`^TaskClaimed: .*${colleague}`));
    const signed = await actOnTask('colleague', id, 'sign').expect(200);
    expect(signed.body.lifecycle).toMatchObject({ phase: 'handling', leadUnitId: 's-hubin' });
  });

  it('should refuse an action on a closed task as stale, and one that does not fit the step as invalid', async () => {
    const caseNo = await freshCase('awaiting-sign');
    const id = await openTaskOf(caseNo, 'sign');
    const wrongStep = await actOnTask('handler', id, 'reply', { result: 'solved', summary: '已解决' }).expect(400);
    expect(wrongStep.body.details).toEqual([expect.objectContaining({ field: 'action', rule: 'taskStep' })]);
    const badBody = await actOnTask('handler', id, 'return', {}).expect(400);
    expect(new Set(badBody.body.details.map((detail: { field: string }) => detail.field))).toEqual(new Set(['reason']));

    await actOnTask('handler', id, 'sign').expect(200);
    // The projection closes the sign task and opens the contact task.
    const contactTask = await openTaskOf(caseNo, 'contact');
    const stale = await actOnTask('handler', id, 'sign').expect(409);
    expect(stale.body).toMatchObject({
      error: 'ActionRefused',
      message: expect.stringMatching(/^TaskClosed: .*stale/),
    });
    await claim('handler', id).expect(409);
    // The next step's task takes the next action.
    const contacted = await actOnTask('handler', contactTask, 'contact', { note: '已电话联系' }).expect(200);
    expect(contacted.body.lifecycle).toMatchObject({ phase: 'handling', contacted: true });
  });

  it('should never show a citizen phone number unmasked, in any answer of this file', async () => {
    const listed = await http().get('/api/v1/tasks').set(bearer(tokens.handler)).expect(200);
    answers.push(listed.text);
    const read = await http().get(`/api/v1/cases/${sharedCase}`).set(bearer(tokens.auditor)).expect(200);
    answers.push(read.text);
    expect(read.body.case.citizen.phone).toBe('139****5678');
    expect(answers.length).toBeGreaterThan(ENDPOINTS.length);
    expect(answers.filter((text) => text.includes(PHONE))).toEqual([]);
  });
});

/** The bits of an Express 5 router layer the route check reads. */
interface RouterLayer {
  route?: { path: string; methods: Record<string, boolean> };
}
