import { randomUUID } from 'node:crypto';
import { Client as PgClient } from 'pg';
import { bearer, handlerOf } from '../support/auth';
import { eventually, startTestStack, TestStack } from '../support/test-stack';

/**
 * A whole case through the HTTP API on the Temporal dev server and PostgreSQL: intake, dispatch to the street,
 * sign, contact, a whistle round with a department, an extension, reply, review, call-back, close — every step
 * as the user whose token acts — plus the refusals a stale or foreign action gets, duplicates and intake outcomes.
 */
describe('a case through the HTTP API', () => {
  let stack: TestStack;
  let pg: PgClient;
  let tokens: Record<string, string>;

  beforeAll(async () => {
    stack = await startTestStack({
      label: 'it-journey',
      users: {
        operator: 'operator',
        street: handlerOf('s-hubin'),
        otherStreet: handlerOf('c-xiyuan'),
        urban: handlerOf('dept-urban-management'),
      },
    });
    ({ pg, tokens } = stack);
  });

  afterAll(() => stack?.stop());

  const http = () => stack.http();
  const act = (who: string, caseNo: string, path: string, body: object = {}) =>
    http().post(`/api/v1/cases/${caseNo}/${path}`).set(bearer(tokens[who])).send(body);

  function submission(overrides: Record<string, unknown> = {}) {
    return {
      kind: 'complaint',
      category: 'noise-nuisance',
      channel: 'hotline',
      description: '楼下商铺夜间噪声扰民',
      address: `示范市东湖区湖滨路${randomUUID().slice(0, 8)}号`,
      citizen: { name: '李女士', phone: '13900001111' },
      place: { communityId: 'c-xiyuan', streetId: 's-hubin', districtId: 'd-donghu' },
      ...overrides,
    };
  }

  async function waitFor(caseNo: string, ok: (body: { case?: Record<string, unknown> }) => boolean) {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const response = await http().get(`/api/v1/cases/${caseNo}`).set(bearer(tokens.operator));
      if (response.status === 200 && ok(response.body)) return response.body;
      if (Date.now() > deadline) throw new Error(`case ${caseNo} never got there: ${JSON.stringify(response.body)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  async function eventTypes(caseNo: string, stream = 'case'): Promise<string[]> {
    const rows = await pg.query('SELECT type FROM case_events WHERE case_no = $1 AND stream = $2 ORDER BY seq', [
      caseNo,
      stream,
    ]);
    return rows.rows.map((row: { type: string }) => row.type);
  }

  it('should take a case from intake to a satisfied close, each action by its own unit', async () => {
    const created = await http().post('/api/v1/cases').send(submission()).expect(201);
    const caseNo: string = created.body.caseNo;
    await waitFor(caseNo, (body) => body.case?.phase === 'awaiting-sign');

    // Refusals change nothing: another unit, a missing reason, an action out of turn.
    const foreign = await act('otherStreet', caseNo, 'sign').expect(403);
    expect(foreign.body).toMatchObject({ error: 'ActionForbidden', message: expect.stringMatching(/^WrongUnit: /) });
    const blank = await act('street', caseNo, 'return', {}).expect(400);
    expect(new Set(blank.body.details.map((detail: { field: string }) => detail.field))).toEqual(new Set(['reason']));
    await act('operator', caseNo, 'sign').expect(403); // a handler's action: the role guard refuses the operator

    const openTasks = async () =>
      (
        await pg.query(`SELECT step, unit_id, candidate_role FROM tasks WHERE case_no = $1 AND status <> 'closed'`, [
          caseNo,
        ])
      ).rows;
    expect(await openTasks()).toEqual([{ step: 'sign', unit_id: 's-hubin', candidate_role: 'handler' }]);
    const signed = await act('street', caseNo, 'sign').expect(200);
    expect(signed.body.lifecycle).toMatchObject({ phase: 'handling', leadUnitId: 's-hubin' });
    const again = await act('street', caseNo, 'sign').expect(409);
    expect(again.body).toMatchObject({ error: 'ActionRefused', message: expect.stringMatching(/^WrongState: /) });
    // Signed: the lead contacts the citizen, and its co-unit (noise: the ecology bureau) reports its part to it.
    await eventually(async () =>
      expect(await openTasks()).toEqual(
        expect.arrayContaining([
          { step: 'contact', unit_id: 's-hubin', candidate_role: 'handler' },
          { step: 'co-unit-report', unit_id: 'dept-ecology', candidate_role: 'handler' },
        ]),
      ),
    );
    expect(await openTasks()).toHaveLength(2);
    await act('street', caseNo, 'contact', { note: '已电话联系' }).expect(200);

    // Whistle one department; it reports, submits and is rated on its own round.
    const whistled = await act('street', caseNo, 'whistle', {
      departmentIds: ['dept-urban-management'],
      grade: 'blue',
      reason: '商铺违规外摆需执法',
    }).expect(200);
    expect(whistled.body.lifecycle.whistleRounds).toMatchObject([{ round: 1, status: 'open' }]);
    const notDepartment = await act('street', caseNo, 'whistle', {
      departmentIds: ['s-wenchang'],
      grade: 'blue',
      reason: 'x',
    }).expect(400);
    expect(notDepartment.body.details).toEqual([expect.objectContaining({ field: 'departmentIds[0]' })]);
    await eventually(() => act('urban', caseNo, 'whistle-rounds/1/report', { note: '执法队已到场' }).expect(200));
    await act('urban', caseNo, 'whistle-rounds/1/result', { summary: '已责令整改' }).expect(200);
    await act('urban', caseNo, 'whistle-rounds/1/ratings', { departmentId: 'dept-urban-management', score: 6 }).expect(
      400,
    );
    await act('street', caseNo, 'whistle-rounds/1/ratings', { departmentId: 'dept-urban-management', score: 5 }).expect(
      200,
    );
    await waitFor(
      caseNo,
      (body) => (body.case?.whistleRounds as Array<{ status: string }>)?.[0]?.status === 'completed',
    );

    await act('street', caseNo, 'extension-request', { workingDays: 3, reason: '等待商铺整改' }).expect(200);
    const approved = await act('operator', caseNo, 'extension-decision', { approved: true, reason: '同意' }).expect(
      200,
    );
    expect(approved.body.lifecycle.extension).toMatchObject({ used: 1 });
    await act('street', caseNo, 'reply', { result: 'solved', summary: '商铺已整改，噪声消除' }).expect(200);
    await act('operator', caseNo, 'review', { accepted: true }).expect(200);
    // Contact details are unmasked for the operator calling back while the case awaits call-back; the lead street
    // saw them while it handled the case, no longer (citizen-contact.test.ts).
    await http().get(`/api/v1/cases/${caseNo}/citizen-contact`).set(bearer(tokens.street)).expect(409);
    const contact = await http().get(`/api/v1/cases/${caseNo}/citizen-contact`).set(bearer(tokens.operator));
    expect(contact.status).toBe(200);
    expect(contact.body).toEqual({ name: '李女士', phone: '13900001111' });
    const closed = await act('operator', caseNo, 'callback', {
      reached: true,
      solved: true,
      satisfaction: 'satisfied',
    }).expect(200);
    expect(closed.body.lifecycle).toMatchObject({ phase: 'closed', outcome: 'satisfied' });

    const view = await waitFor(caseNo, (body) => body.case?.phase === 'closed');
    await http().get(`/api/v1/cases/${caseNo}/citizen-contact`).set(bearer(tokens.operator)).expect(409);
    await eventually(async () => expect(await openTasks()).toEqual([]));
    const steps = await pg.query('SELECT step FROM tasks WHERE case_no = $1 ORDER BY created_at, step', [caseNo]);
    expect(steps.rows.map((row: { step: string }) => row.step)).toEqual(
      expect.arrayContaining(['sign', 'contact', 'handle', 'extension-decision', 'review', 'callback']),
    );
    expect(view.case).toMatchObject({ status: 'closed', outcome: 'satisfied', citizen: { phone: '139****1111' } });
    for (const at of ['dispatchedAt', 'signedAt', 'contactedAt', 'repliedAt', 'calledBackAt', 'closedAt']) {
      expect((view.case as { lifecycle: Record<string, string | null> }).lifecycle[at]).toEqual(expect.any(String));
    }
    const types = await eventTypes(caseNo);
    expect(types).toEqual(
      expect.arrayContaining(['dispatched', 'signed', 'contacted', 'whistled', 'whistle-round-finished', 'replied']),
    );
    expect(types.at(-1)).toBe('closed');
    expect(await eventTypes(caseNo, 'whistle-1')).toEqual(expect.arrayContaining(['reported', 'rated', 'completed']));
    const actors = await pg.query(`SELECT actor FROM case_events WHERE case_no = $1 AND type = 'signed'`, [caseNo]);
    expect(actors.rows[0].actor).toMatchObject({ userId: expect.any(String), role: 'handler', unitId: 's-hubin' });

    const late = await act('street', caseNo, 'escalate', { reason: '晚了' }).expect(409);
    expect(late.body.error).toBe('CaseClosed');
    await act('street', '20261123999999', 'sign').expect(404);
  });

  it('should link a repeat with no new facts to the open case and open no new case', async () => {
    const first = submission();
    const created = await http().post('/api/v1/cases').send(first).expect(201);
    await waitFor(created.body.caseNo, (body) => body.case?.phase === 'awaiting-sign');
    const before = await pg.query('SELECT count(*)::int AS n FROM cases');
    const repeat = await http()
      .post('/api/v1/cases')
      .set('Idempotency-Key', `repeat-${randomUUID()}`)
      .send({ ...first, description: '又来了，还是很吵' })
      .expect(200);
    expect(repeat.body).toMatchObject({
      status: 'linked',
      caseNo: created.body.caseNo,
      duplicateOf: { caseNo: created.body.caseNo, matchedBy: 'address', repeatCount: 1 },
    });
    expect((await pg.query('SELECT count(*)::int AS n FROM cases')).rows[0].n).toBe(before.rows[0].n);
    const stored = await pg.query('SELECT payload FROM repeat_contacts WHERE case_no = $1', [created.body.caseNo]);
    expect(stored.rows[0].payload.description).toBe('又来了，还是很吵');
    await eventually(async () => expect(await eventTypes(created.body.caseNo)).toContain('repeat-contact'));
    const view = await waitFor(created.body.caseNo, (body) => body.case?.priority === 'elevated');
    expect(view.case).toMatchObject({ repeatCount: 1 });
  });

  it('should record an emergency, divert it to 119 and never dispatch it', async () => {
    const created = await http()
      .post('/api/v1/cases')
      .send(submission({ intake: { emergencyType: 'fire' } }))
      .expect(201);
    const view = await waitFor(created.body.caseNo, (body) => body.case?.phase === 'closed');
    expect(view.case).toMatchObject({ outcome: 'emergency-diverted', leadUnitId: null });
    expect(await eventTypes(created.body.caseNo)).toEqual(['emergency-diverted', 'closed']);
  });
});
