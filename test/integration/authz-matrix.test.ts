import { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { get as httpGet, IncomingHttpHeaders } from 'node:http';
import { AddressInfo } from 'node:net';
import { Client as PgClient } from 'pg';
import { BEIJING_DEFINITION } from '../../libs/persistence/src/seed/demo-presets';
import { bearer, coordinatorOf, DEMO_PASSWORD, handlerOf, tokenFor } from '../support/auth';
import { insertTestUser, startTestStack, TestStack } from '../support/test-stack';

/**
 * Every endpoint of the API × every role (and a handler of another unit, and no token at all), against the status
 * each must get with a valid request: 2xx, a 4xx of the process (409 a step out of turn, 404), 401 or 403. Calls
 * that change something get throwaway resources where they succeed. A route the router has and this table lacks
 * fails the run. Then the task inbox's own guarantees: one winner of two claims, no action on a closed task, and
 * no unmasked phone number in any answer. Runs on a database of its own (it adds calendar days, publishes process
 * definitions for 北郊区, where none of its cases lives, and scores months of 2021).
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
  let stack: TestStack<Staff | 'colleague'>;
  let app: INestApplication;
  /** Where the app listens (event streams are read with a raw request). */
  let baseUrl: string;
  let pg: PgClient;
  let tokens: Record<Staff | 'colleague', string>;
  const userIds = {} as Record<Staff | 'colleague', string>;
  /** Every response body, for the masking check. */
  const answers: string[] = [];

  /** A case awaiting signature by 湖滨街道 (refused actions change nothing, so every role tries them on it). */
  let sharedCase: string;
  let sharedSignTask: string;
  /** Synthetic tasks of 湖滨街道 on a case of their own: open, and claimed by the colleague. */
  let openTask: string;
  let colleaguesTask: string;
  /** A draft, a version published for 北郊区, a migration and a what-if job: what the rules rows read. */
  let rulesDraft: string;
  let rulesVersion: string;
  let migrationId: string;
  let whatIfJob: string;

  beforeAll(async () => {
    stack = await startTestStack({
      label: 'it-authz',
      scratch: true,
      seed: true,
      prepare: (db) =>
        insertTestUser(db, {
          username: colleague,
          role: 'handler',
          unitId: 's-hubin',
          displayName: '湖滨街道办理人乙（测试）',
        }),
      users: { ...USERS, colleague },
    });
    ({ app, pg, tokens } = stack);
    await app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    for (const [who, username] of [...Object.entries(USERS), ['colleague', colleague]]) {
      userIds[who as Staff] = (await pg.query(`SELECT id FROM users WHERE username = $1`, [username])).rows[0].id;
    }
    sharedCase = await freshCase('awaiting-sign');
    sharedSignTask = await openTaskOf(sharedCase, 'sign');
    openTask = await syntheticTask();
    colleaguesTask = await syntheticTask('colleague');
    await rulesFixtures();
    await scoredMonth();
  });

  afterAll(async () => {
    // Archive what this file published, as a designer would: 北郊区 goes back to the city's version.
    if (app && pg) {
      const labels = await pg.query<{ label: string }>(
        `SELECT label FROM process_versions WHERE definition_id LIKE 'it-authz-%' AND archived_at IS NULL`,
      );
      for (const { label } of labels.rows) {
        await http()
          .post(`/api/v1/rules/versions/${label}/archive`)
          .set(bearer(tokens.designer))
          .send({ reason: '权限矩阵结束' })
          .expect(200);
      }
    }
    await stack?.stop();
  });

  const http = () => stack.http();

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

  const LONG_AGO = new Date('2020-01-06T02:00:00.000Z');
  /**
   * A closed case row no workflow owns, last changed long ago (when it was dispatched, if `lead` says so): the
   * consistency check compares only open and recent cases, so it has no drift to report and none to wait out.
   */
  async function syntheticCase(lead?: { unitId: string; districtId: string; dispatchedAt: Date }): Promise<string> {
    const caseNo = `2099${String(Math.floor(Math.random() * 1e10)).padStart(10, '0')}`;
    await pg.query(
      `INSERT INTO cases (case_no, workflow_id, kind, category, urgency, channel, status, stage, description,
                          citizen_phone, rules_version, received_at, updated_at, lead_unit_id, street_id, district_id,
                          dispatched_at)
       VALUES ($1, 'synthetic-' || $1, 'complaint', 'it-authz', 'normal', 'hotline', 'closed', 'closed', '测试',
               $2, 'beijing@1', $3, $3, $4, $4, $5, $6)`,
      [caseNo, PHONE, lead?.dispatchedAt ?? LONG_AGO, lead?.unitId, lead?.districtId, lead?.dispatchedAt],
    );
    return caseNo;
  }

  /** A task row of 湖滨街道 on a case row no workflow owns (claims never reach a workflow). */
  async function syntheticTask(claimedBy?: Staff | 'colleague'): Promise<string> {
    const caseNo = await syntheticCase();
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

  /** Where this file publishes: 北郊区 only, which none of its cases is in (they are all in 东湖区). */
  const PUBLICATION = { reason: '权限矩阵', scope: { cityId: 'city-demo', districtId: 'd-beijiao' } };

  /** A new draft of a definition of its own (beijing@1's document under a fresh id), so each publication is too. */
  async function freshDraft(): Promise<string> {
    const document = { ...BEIJING_DEFINITION, id: `it-authz-${randomUUID().slice(0, 8)}`, name: '权限矩阵测试定义' };
    const created = await http()
      .post('/api/v1/rules/drafts')
      .set(bearer(tokens.designer))
      .send({ document })
      .expect(201);
    return created.body.id;
  }

  /** A fresh draft published for 北郊区; its label. */
  async function freshVersion(): Promise<string> {
    const published = await http()
      .post(`/api/v1/rules/drafts/${await freshDraft()}/publish`)
      .set(bearer(tokens.designer))
      .send(PUBLICATION)
      .expect(201);
    return published.body.label;
  }

  /** A migration that cannot move a case: to a version of 北郊区, of the open cases of 北郊区 (there are none). */
  const harmlessMigration = () => ({
    toVersion: rulesVersion,
    filter: { districtId: 'd-beijiao' },
    reason: '权限矩阵',
  });
  /** A what-if of the city's version over the latest recorded case: reads cases, touches none. */
  const WHAT_IF = { version: 'beijing@1', sample: { last: 1 } };

  async function rulesFixtures(): Promise<void> {
    rulesDraft = await freshDraft();
    rulesVersion = await freshVersion();
    const migration = await http()
      .post('/api/v1/rules/migrations')
      .set(bearer(tokens.designer))
      .send(harmlessMigration())
      .expect(201);
    expect(migration.body).toMatchObject({ status: 'finished', matched: 0, moved: 0 });
    migrationId = migration.body.id;
    whatIfJob = (await http().post('/api/v1/rules/what-if').set(bearer(tokens.designer)).send(WHAT_IF).expect(202)).body
      .jobId;
  }

  /** A past month with a completed score run, and 湖滨街道 figures in it (what the score reading rows read). */
  const SCORED_MONTH = '2021-03';
  /** Months no run has scored yet, one for each caller allowed an on-demand run (auditor, admin). */
  const spareMonths = ['2021-04', '2021-05'];
  const scoreTrigger = (role: Role) => role === 'auditor' || role === 'admin';

  /**
   * A governance item of 湖滨街道 stored without a workflow: readers see it (another unit's handler does not), actions
   * that reach it find no running item (409).
   */
  let governanceItem: Promise<string> | undefined;
  const governanceItemId = (): Promise<string> =>
    (governanceItem ??= pg
      .query<{ id: string }>(
        `INSERT INTO governance_items (source_key, workflow_id, kind, title, owner_unit_ids, scope, deadline_duration,
                                       opened_by)
         VALUES ('authz:' || gen_random_uuid(), 'governance-authz-' || gen_random_uuid(), 'rectification', '权限矩阵',
                 ARRAY['s-hubin'], '{"categories": ["it-authz"], "places": ["s-hubin"]}', '10WD', 'system')
         RETURNING id`,
      )
      .then((result) => result.rows[0].id));
  const GOVERNANCE_READERS = {
    operator: 200,
    admin: 200,
    auditor: 200,
    handler: 200,
    otherHandler: 404,
    coordinator: 404,
  };
  /** An owner unit's action: 湖滨街道's handler reaches the item (no workflow runs it: 409); other units find none. */
  const governanceAction = (action: string, body: object): Endpoint => ({
    method: 'POST',
    route: `/api/v1/governance/items/:id/${action}`,
    expect: only({ handler: 409, otherHandler: 404, coordinator: 404 }),
    call: async () => ({
      path: `/api/v1/governance/items/${await governanceItemId()}/${action.replace(':index', '0')}`,
      body,
    }),
  });

  /** One closed case of 湖滨街道 dispatched in {@link SCORED_MONTH} (no workflow), and a run of that month. */
  async function scoredMonth(): Promise<void> {
    const dispatchedAt = new Date('2021-03-10T02:00:00.000Z');
    const caseNo = await syntheticCase({ unitId: 's-hubin', districtId: 'd-donghu', dispatchedAt });
    await pg.query(`INSERT INTO case_events (case_no, seq, type, at, detail) VALUES ($1, 1, 'dispatched', $2, $3)`, [
      caseNo,
      dispatchedAt,
      JSON.stringify({ leadUnitId: 's-hubin' }),
    ]);
    const run = await http()
      .post('/api/v1/scores/runs')
      .set(bearer(tokens.auditor))
      .send({ month: SCORED_MONTH })
      .expect(201);
    expect(run.body).toMatchObject({ month: SCORED_MONTH, status: 'completed' });
  }

  /**
   * Opens a server-sent events stream and answers its status and headers as soon as they arrive, then aborts it (an
   * allowed stream never ends); a refusal's body is read to its end.
   */
  function openStream(path: string, token?: string): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const req = httpGet(`${baseUrl}${path}`, { headers: token ? bearer(token) : {} }, (response) => {
        const answer = { status: response.statusCode ?? 0, headers: response.headers, text: '' };
        response.on('error', () => undefined);
        if (answer.status === 200) {
          resolve(answer);
          req.destroy();
          return;
        }
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (answer.text += chunk));
        response.on('end', () => resolve(answer));
      });
      // Destroying the request once answered is no failure: only an error before the answer is.
      req.on('error', reject);
    });
  }

  // ---- the matrix -------------------------------------------------------------------------------------------

  interface Call {
    path: string;
    body?: object;
    /** A token of its own (logout revokes the one it is sent with). */
    token?: string;
  }
  interface Endpoint {
    method: 'GET' | 'POST' | 'PUT' | 'DELETE';
    /** The route as the router registers it. */
    route: string;
    /** The status each caller must get; several means any of them. */
    expect: Record<Role, number | number[]>;
    call(role: Role): Call | Promise<Call>;
    /** What the row is about, when one route has several rows. */
    note?: string;
    /**
     * A server-sent events stream: only its status and headers are read, then the request is aborted (an allowed
     * stream never ends); a 200 must be an uncached `text/event-stream`.
     */
    stream?: true;
  }
  /** What a call answered. */
  interface Answer {
    status: number;
    headers: IncomingHttpHeaders;
    text: string;
  }

  /** `allowed` as given, anonymous 401, every other role `others` (403 by default). */
  const only = (allowed: Partial<Record<Role, number | number[]>>, others = 403): Record<Role, number | number[]> =>
    Object.fromEntries(ROLES.map((role) => [role, allowed[role] ?? (role === 'anonymous' ? 401 : others)])) as never;
  /** Every staff role gets `status`, anonymous 401. */
  const staff = (status: number, overrides: Partial<Record<Role, number>> = {}) =>
    only({ ...Object.fromEntries(ROLES.map((role) => [role, status])), anonymous: 401, ...overrides });
  const everyone = (status: number | number[]) => Object.fromEntries(ROLES.map((role) => [role, status])) as never;
  const CASE_READERS = { operator: 200, handler: 200, otherHandler: 200, coordinator: 200, auditor: 200, admin: 200 };
  /** Process definitions: designers, auditors and admins read them; designers and admins change them. */
  const RULES_READERS = { designer: 200, auditor: 200, admin: 200 };
  const rulesWriters = (status: number) => only({ designer: status, admin: status });
  /** The audit endpoints: auditors and admins. */
  const AUDITORS = { auditor: 200, admin: 200 };
  /** A GET of `route` (at `path`, its concrete form, when it has parameters) that `readers` get and others not. */
  const reading = (readers: Partial<Record<Role, number>>, route: string, path = () => route): Endpoint => ({
    method: 'GET',
    route,
    expect: only(readers),
    call: () => ({ path: path() }),
  });
  const HANDLERS = (status: number, other = status) => ({ handler: status, otherHandler: other });
  /** Every unit's scores: the centre (operators, auditors, admins) and designers. */
  const SCORE_CENTRE = { operator: 200, auditor: 200, admin: 200, designer: 200 };
  /** One unit's scores (湖滨's): the centre, and 湖滨's handlers; another unit's handler or coordinator gets 404. */
  const HUBIN_SCORES = { ...SCORE_CENTRE, ...HANDLERS(200, 404), coordinator: 404 };

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
    // Prometheus scrapes without a token (docs/operations.md: keep it off the public network).
    { method: 'GET', route: '/metrics', expect: everyone(200), call: () => ({ path: '/metrics' }) },
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
      // Another unit's case answers as an unknown one (scope before state).
      expect: only({ ...CASE_READERS, otherHandler: 404 }),
      call: () => ({ path: `/api/v1/cases/${sharedCase}` }),
    },
    {
      method: 'GET',
      route: '/api/v1/cases/:caseNo/citizen-contact',
      // The operator while the case awaits call-back, the lead unit's handler while it is handled (this one awaits
      // signature: 409 for both); another unit's handler does not see the case (404).
      expect: only({ operator: 409, handler: 409, otherHandler: 404 }),
      call: () => ({ path: `/api/v1/cases/${sharedCase}/citizen-contact` }),
    },
    {
      method: 'GET',
      route: '/api/v1/public/cases/:caseNo',
      expect: everyone(200),
      call: () => ({ path: `/api/v1/public/cases/${sharedCase}` }),
    },
    // Open311 GeoReport v2: reading is public; filing needs an Open311 api_key, which no bearer token replaces.
    // 北郊区 has a version of its own here, so the city is one jurisdiction of several: named on every call.
    ...[
      ['discovery.:format', 'discovery.xml'],
      ['services.:format', 'services.json'],
      ['services/:code.:format', 'services/noise-nuisance.xml'],
      ['requests.:format', 'requests.json'],
      ['servicerequestupdates.:format', 'servicerequestupdates.xml'],
    ].map(
      ([route, path]): Endpoint => ({
        method: 'GET',
        route: `/open311/v2/${route}`,
        expect: everyone(200),
        call: () => ({ path: `/open311/v2/${path}?jurisdiction_id=city-demo` }),
      }),
    ),
    {
      method: 'GET',
      route: '/open311/v2/requests/:id.:format',
      expect: everyone(200),
      call: () => ({ path: `/open311/v2/requests/${sharedCase}.json?jurisdiction_id=city-demo` }),
    },
    {
      method: 'GET',
      route: '/open311/v2/tokens/:token.:format',
      note: 'no request was filed with this token',
      expect: everyone(404),
      call: () => ({ path: `/open311/v2/tokens/${randomUUID()}.json?jurisdiction_id=city-demo` }),
    },
    {
      method: 'POST',
      route: '/open311/v2/requests.:format',
      note: 'without api_key: 403 whatever bearer token comes with it',
      expect: everyone(403),
      call: () => ({
        path: '/open311/v2/requests.json',
        body: { service_code: 'noise-nuisance', address_id: 'c-xiyuan' },
      }),
    },
    // case actions: the lead unit's handler succeeds on a throwaway case in the right state; the other unit's
    // handler gets 404, as for an unknown case, before any stage or unit check (scope before state); other roles
    // the guard's 403
    caseRoute('sign', only(HANDLERS(200, 404)), {}, sharedOr('handler', 'awaiting-sign')),
    caseRoute('return', only(HANDLERS(200, 404)), { reason: '不属本辖区' }, sharedOr('handler', 'awaiting-sign')),
    caseRoute(
      'redispatch',
      only({ operator: 409 }),
      { leadUnitId: 's-wenchang', arbitrated: false, reason: '改派' },
      () => sharedCase,
    ),
    caseRoute('contact', only(HANDLERS(200, 404)), { note: '已联系' }, sharedOr('handler', 'signed')),
    caseRoute(
      'extension-request',
      only(HANDLERS(200, 404)),
      { workingDays: 3, reason: '需协调' },
      sharedOr('handler', 'signed'),
    ),
    caseRoute('extension-decision', only({ operator: 409 }), { approved: true, reason: '同意' }),
    caseRoute('suspend', only(HANDLERS(409, 404)), { reason: '等待市民' }),
    caseRoute('resume', only(HANDLERS(409, 404)), { reason: '市民已回复' }),
    caseRoute(
      'whistle',
      only(HANDLERS(200, 404)),
      { departmentIds: ['dept-urban-management'], grade: 'blue', reason: '需执法' },
      sharedOr('handler', 'signed'),
    ),
    caseRoute('escalate', only(HANDLERS(200, 404)), { reason: '需协调' }, sharedOr('handler', 'signed')),
    caseRoute(
      'coordinate',
      only({ coordinator: 200, otherHandler: 404 }),
      { instruction: '街道牵头处理' },
      sharedOr('coordinator', 'escalated'),
    ),
    caseRoute('reply', only(HANDLERS(409, 404)), { result: 'solved', summary: '已解决' }),
    caseRoute('review', only({ operator: 409 }), { accepted: true }),
    caseRoute('callback', only({ operator: 409 }), { reached: false }),
    // The shared case is neither closed and sampled for an audit nor before an accountability body: 409 past scope.
    caseRoute('audit-callback', only({ operator: 409 }), { reached: false }),
    caseRoute('accountability-decision', only({ operator: 409, coordinator: 409, ...HANDLERS(409, 404) }), {
      responsible: false,
      decision: '经核查，承办单位已尽职',
    }),
    // No whistle round exists on the shared case: the handlers get past the guard to a 404, and so do operators
    // where a whistler (a command centre) confirms and rates.
    ...(['report', 'result', 'confirm', 'ratings'] as const).map(
      (step): Endpoint => ({
        method: 'POST',
        route: `/api/v1/cases/:caseNo/whistle-rounds/:round/${step}`,
        expect: only(step === 'confirm' || step === 'ratings' ? { ...HANDLERS(404), operator: 404 } : HANDLERS(404)),
        call: () => ({
          path: `/api/v1/cases/${sharedCase}/whistle-rounds/1/${step}`,
          body: {
            report: { note: '已到场' },
            result: { summary: '已处理' },
            confirm: { departmentId: 'dept-housing', done: true },
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
      method: 'GET',
      route: '/api/v1/calendars/current/years/:year/days',
      expect: staff(200),
      call: () => ({ path: '/api/v1/calendars/current/years/2026/days' }),
    },
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
    {
      method: 'GET',
      route: '/api/v1/calendars/current/versions/:version/affected-cases',
      expect: only({ designer: 200, auditor: 200, admin: 200 }),
      call: () => ({ path: '/api/v1/calendars/current/versions/1/affected-cases' }),
    },
    // incidents
    {
      method: 'GET',
      route: '/api/v1/incidents',
      expect: only({ operator: 200, admin: 200 }),
      call: () => ({ path: '/api/v1/incidents' }),
    },
    {
      method: 'POST',
      route: '/api/v1/incidents/:id/retry',
      note: 'no such incident: refused after the role check',
      expect: only({ admin: 404 }),
      call: () => ({ path: '/api/v1/incidents/999999/retry', body: {} }),
    },
    {
      method: 'POST',
      route: '/api/v1/incidents/:id/resolve',
      note: 'no such incident: refused after the role check',
      expect: only({ admin: 404 }),
      call: () => ({ path: '/api/v1/incidents/999999/resolve', body: { reason: '权限矩阵' } }),
    },
    {
      method: 'POST',
      route: '/api/v1/calendars/current/versions/:version/recompute-open-cases',
      note: 'a version that does not exist: refused after the role check, so no case is touched',
      expect: only({ designer: 404, admin: 404 }),
      call: () => ({
        path: '/api/v1/calendars/current/versions/999999/recompute-open-cases',
        body: { reason: '权限矩阵' },
      }),
    },
    {
      method: 'PUT',
      route: '/api/v1/calendars/current/years/:year',
      note: 'a year the national data covers: refused after the role check, so no version is made',
      expect: only({ designer: 400, admin: 400 }),
      call: () => ({
        path: '/api/v1/calendars/current/years/2026',
        body: { days: [{ date: '2026-01-01', working: false, name: '元旦' }], reason: '权限矩阵' },
      }),
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
      // Admins hold no unit's tasks: they may release or hand on a claim, not take one. Another unit's task answers
      // as an unknown one (404) to every role that may claim.
      expect: only({ handler: 200, operator: 404, otherHandler: 404, coordinator: 404, admin: 404 }),
      call: async (role) => ({ path: `/api/v1/tasks/${role === 'handler' ? await syntheticTask() : openTask}/claim` }),
    },
    {
      method: 'POST',
      route: '/api/v1/tasks/:id/unclaim',
      expect: only({ handler: 200, admin: 200, operator: 404, otherHandler: 404, coordinator: 404 }),
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
      expect: only({ handler: 200, admin: 200, operator: 404, otherHandler: 404, coordinator: 404 }),
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
      expect: only({ handler: 200, operator: 404, otherHandler: 404, coordinator: 404 }),
      call: async (role) => ({
        path: `/api/v1/tasks/${
          role === 'handler' ? await openTaskOf(await freshCase('awaiting-sign'), 'sign') : sharedSignTask
        }/actions/sign`,
      }),
    },
    // rules: reads take the city's version, its preset, or this file's draft, migration and job; each writer's
    // change takes a throwaway draft or version of its own; everything published is for 北郊区
    reading(RULES_READERS, '/api/v1/rules/schema'),
    reading(RULES_READERS, '/api/v1/rules/presets'),
    reading(RULES_READERS, '/api/v1/rules/presets/:id', () => '/api/v1/rules/presets/beijing'),
    {
      method: 'POST',
      route: '/api/v1/rules/validate',
      expect: only(RULES_READERS),
      call: () => ({ path: '/api/v1/rules/validate', body: { document: BEIJING_DEFINITION } }),
    },
    reading(RULES_READERS, '/api/v1/rules/drafts'),
    {
      method: 'POST',
      route: '/api/v1/rules/drafts',
      expect: rulesWriters(201),
      call: () => ({ path: '/api/v1/rules/drafts', body: { fromVersion: 'beijing@1', name: '权限矩阵草稿' } }),
    },
    reading(RULES_READERS, '/api/v1/rules/drafts/:id', () => `/api/v1/rules/drafts/${rulesDraft}`),
    {
      method: 'PUT',
      route: '/api/v1/rules/drafts/:id',
      expect: rulesWriters(200),
      call: async (role) => ({
        path: `/api/v1/rules/drafts/${writer(role) ? await freshDraft() : rulesDraft}`,
        body: { document: BEIJING_DEFINITION, name: '权限矩阵草稿（改）' },
      }),
    },
    {
      method: 'POST',
      route: '/api/v1/rules/drafts/:id/validate',
      expect: only(RULES_READERS),
      call: () => ({ path: `/api/v1/rules/drafts/${rulesDraft}/validate` }),
    },
    {
      method: 'DELETE',
      route: '/api/v1/rules/drafts/:id',
      expect: rulesWriters(200),
      call: async (role) => ({ path: `/api/v1/rules/drafts/${writer(role) ? await freshDraft() : rulesDraft}` }),
    },
    {
      method: 'POST',
      route: '/api/v1/rules/drafts/:id/publish',
      expect: rulesWriters(201),
      call: async (role) => ({
        path: `/api/v1/rules/drafts/${writer(role) ? await freshDraft() : rulesDraft}/publish`,
        body: PUBLICATION,
      }),
    },
    reading(RULES_READERS, '/api/v1/rules/versions'),
    reading(RULES_READERS, '/api/v1/rules/versions/:label', () => '/api/v1/rules/versions/beijing@1'),
    {
      method: 'POST',
      route: '/api/v1/rules/versions/:label/archive',
      expect: rulesWriters(200),
      call: async (role) => ({
        path: `/api/v1/rules/versions/${writer(role) ? await freshVersion() : rulesVersion}/archive`,
        body: { reason: '权限矩阵' },
      }),
    },
    reading(RULES_READERS, '/api/v1/rules/diff', () => '/api/v1/rules/diff?from=beijing@1&to=preset:beijing'),
    reading(RULES_READERS, '/api/v1/rules/published'),
    {
      method: 'POST',
      route: '/api/v1/rules/migrations',
      expect: rulesWriters(201),
      call: () => ({ path: '/api/v1/rules/migrations', body: harmlessMigration() }),
    },
    {
      method: 'POST',
      route: '/api/v1/rules/migrations/preview',
      expect: rulesWriters(200),
      call: () => ({ path: '/api/v1/rules/migrations/preview', body: { filter: harmlessMigration().filter } }),
    },
    reading(RULES_READERS, '/api/v1/rules/migrations'),
    reading(RULES_READERS, '/api/v1/rules/migrations/:id', () => `/api/v1/rules/migrations/${migrationId}`),
    {
      method: 'POST',
      route: '/api/v1/rules/what-if',
      expect: rulesWriters(202),
      call: () => ({ path: '/api/v1/rules/what-if', body: WHAT_IF }),
    },
    reading(RULES_READERS, '/api/v1/rules/what-if/:jobId', () => `/api/v1/rules/what-if/${whatIfJob}`),
    // scores: each allowed on-demand run scores a month of its own (the worker here runs it at once: 201)
    {
      method: 'POST',
      route: '/api/v1/scores/runs',
      expect: only({ auditor: 201, admin: 201 }),
      call: (role) => ({
        path: '/api/v1/scores/runs',
        body: { month: scoreTrigger(role) ? spareMonths.shift()! : SCORED_MONTH },
      }),
    },
    reading(SCORE_CENTRE, '/api/v1/scores/runs'),
    reading(SCORE_CENTRE, '/api/v1/scores/:month', () => `/api/v1/scores/${SCORED_MONTH}`),
    reading(
      HUBIN_SCORES,
      '/api/v1/scores/:month/units/:unitId/explain',
      () => `/api/v1/scores/${SCORED_MONTH}/units/s-hubin/explain`,
    ),
    // governance items: the centre and auditors read all, 湖滨街道 its own; the centre adopts (no candidate here: 400)
    // (the list answers every reader, with only their unit's items for a unit's people)
    reading({ ...GOVERNANCE_READERS, otherHandler: 200, coordinator: 200 }, '/api/v1/governance/items'),
    {
      method: 'GET',
      route: '/api/v1/governance/items/:id',
      expect: only(GOVERNANCE_READERS),
      call: async () => ({ path: `/api/v1/governance/items/${await governanceItemId()}` }),
    },
    {
      method: 'GET',
      route: '/api/v1/governance/items/:id/effect',
      expect: only(GOVERNANCE_READERS),
      call: async () => ({ path: `/api/v1/governance/items/${await governanceItemId()}/effect` }),
    },
    {
      method: 'POST',
      route: '/api/v1/governance/problems',
      expect: only({ operator: 400, admin: 400 }),
      call: () => ({
        path: '/api/v1/governance/problems',
        body: {
          month: SCORED_MONTH,
          category: 'it-authz',
          title: '权限矩阵',
          ownerUnitIds: ['s-hubin'],
          deadline: '20WD',
        },
      }),
    },
    governanceAction('plan', { plan: '权限矩阵', milestones: [{ title: '一步' }] }),
    governanceAction('milestones/:index/complete', {}),
    governanceAction('report', { report: '权限矩阵', outcome: 'resolved' }),
    {
      method: 'POST',
      route: '/api/v1/governance/items/:id/close',
      expect: only({ operator: 409, admin: 409 }),
      call: async () => ({
        path: `/api/v1/governance/items/${await governanceItemId()}/close`,
        body: { note: '权限矩阵' },
      }),
    },
    // audit
    reading(AUDITORS, '/api/v1/audit/cases/:caseNo/timeline', () => `/api/v1/audit/cases/${sharedCase}/timeline`),
    reading(AUDITORS, '/api/v1/audit/verify'),
    reading(AUDITORS, '/api/v1/audit/cases'),
    reading(AUDITORS, '/api/v1/audit/cases.csv'),
    reading(AUDITORS, '/api/v1/audit/consistency'),
    reading(
      HUBIN_SCORES,
      '/api/v1/scores/:month/units/:unitId/cases',
      () => `/api/v1/scores/${SCORED_MONTH}/units/s-hubin/cases?figure=response`,
    ),
    // a unit's handlers and coordinators get their own departments' rows only (none here: still 200)
    reading(
      { ...SCORE_CENTRE, ...HANDLERS(200), coordinator: 200 },
      '/api/v1/scores/years/:year/double-assessment',
      () => '/api/v1/scores/years/2021/double-assessment',
    ),
    // the city's areas for the console's map: those who read every unit's scores
    reading(SCORE_CENTRE, '/api/v1/org/map'),
    // the city import (admin): a dry run of files with no root, refused after the role check, so nothing changes
    {
      method: 'POST',
      route: '/api/v1/admin/city-import',
      expect: only({ admin: 400 }),
      call: () => ({
        path: '/api/v1/admin/city-import',
        body: { dryRun: true, files: { 'units.csv': 'id,kind,name,parent\n' } },
      }),
    },
    // the caller's own unit's inbox events
    {
      method: 'GET',
      route: '/api/v1/me/inbox-events',
      expect: staff(200),
      call: () => ({ path: '/api/v1/me/inbox-events' }),
      stream: true,
    },
  ];

  async function send(endpoint: Endpoint, role: Role): Promise<Answer> {
    const call = await endpoint.call(role);
    const token = call.token ?? (role === 'anonymous' ? undefined : tokens[role]);
    if (endpoint.stream) {
      const answer = await openStream(call.path, token);
      answers.push(answer.text);
      return answer;
    }
    let req = http()[endpoint.method.toLowerCase() as 'get' | 'post' | 'put' | 'delete'](call.path);
    if (token) req = req.set(bearer(token));
    const response = call.body ? await req.send(call.body) : await req;
    answers.push(response.text ?? '');
    return { status: response.status, headers: response.headers, text: response.text ?? '' };
  }

  /** Why a 200 of a stream row is not an event stream, if it is not. */
  function notAnEventStream(headers: IncomingHttpHeaders): string | undefined {
    const type = headers['content-type'] ?? '';
    const cache = headers['cache-control'] ?? '';
    if (type.startsWith('text/event-stream') && cache.includes('no-cache')) return undefined;
    return `content-type ${type || '(none)'}, cache-control ${cache || '(none)'}`;
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
        } else if (endpoint.stream && response.status === 200) {
          const why = notAnEventStream(response.headers);
          if (why) wrong.push(`${role}: 200 but not an event stream (${why})`);
        }
      }
      expect(wrong).toEqual([]);
    },
  );

  /** Every route the router serves, as `METHOD /path` (middleware mounted on every path left out). */
  function servedRoutes(): string[] {
    const router = (app.getHttpAdapter().getInstance() as { router: { stack: RouterLayer[] } }).router;
    const routes = router.stack
      // Left out: middleware mounted on every path (the HTTP metrics middleware registers `*splat`).
      .filter((layer) => layer.route && layer.route.path !== '/{*path}' && layer.route.path !== '/*splat')
      .flatMap((layer) =>
        Object.keys(layer.route!.methods)
          .filter((method) => method !== '_all')
          .map((method) => `${method.toUpperCase()} ${layer.route!.path}`),
      );
    return [...new Set(routes)];
  }
  it('should have a matrix row for every route the router serves, and no row for a route it does not', () => {
    const served = servedRoutes();
    const listed = ENDPOINTS.map((endpoint) => `${endpoint.method} ${endpoint.route}`);
    expect(served.filter((route) => !listed.includes(route))).toEqual([]);
    expect(listed.filter((route) => !served.includes(route))).toEqual([]);
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
