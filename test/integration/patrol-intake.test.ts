import { randomUUID } from 'node:crypto';
import { bearer, handlerOf } from '../support/auth';
import { eventually, insertTestUser, startTestStack, TestStack } from '../support/test-stack';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * Nanjing's 大联勤 on patrol: grid workers file what they find from their own grid (信息采集); a small matter stays
 * with the grid, and a finding that needs several departments starts a joint action — the street leads, the
 * departments act as co-units — under the district's command centre (two-level command). On a database of its own,
 * where `nanjing` is published for the demo city.
 */
describe('nanjing: patrol findings filed by grid workers', () => {
  const USERS = {
    designer: 'designer',
    operator: 'operator',
    gridWorker: 'it-patrol-grid-worker',
    districtCommand: 'it-patrol-district-command',
    street: handlerOf('s-hubin'),
    community: handlerOf('c-xiyuan'),
  };
  type User = keyof typeof USERS;
  const GRID = 'g-xiyuan-1';
  let stack: TestStack<User>;

  beforeAll(async () => {
    stack = await startTestStack({
      label: 'it-patrol-intake',
      scratch: true,
      seed: true,
      prepare: async (pg) => {
        await insertTestUser(pg, { username: USERS.gridWorker, role: 'handler', unitId: GRID });
        await insertTestUser(pg, { username: USERS.districtCommand, role: 'operator', unitId: 'centre-donghu' });
      },
      users: USERS,
    });
    const draft = await stack
      .http()
      .post('/api/v1/rules/drafts')
      .set(as('designer'))
      .send({ fromPreset: 'nanjing' })
      .expect(201);
    expect(draft.body.validation).toEqual({ ok: true, errors: [] });
    await stack
      .http()
      .post(`/api/v1/rules/drafts/${draft.body.id}/publish`)
      .set(as('designer'))
      .send({ reason: '采用南京大联勤模式', scope: { cityId: 'city-demo' } })
      .expect(201);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const http = () => stack.http();
  const as = (user: User) => bearer(stack.tokens[user]);
  const finding = (category: string, gridId: string = GRID, overrides: Json = {}) => ({
    kind: 'report',
    category,
    channel: 'grid',
    description: '巡查发现：人行道井盖缺失',
    address: `示范市东湖区湖滨路${randomUUID().slice(0, 8)}号`,
    place: { gridId },
    ...overrides,
  });
  const dispatched = (caseNo: string) =>
    eventually(async () => {
      const { body } = await http().get(`/api/v1/cases/${caseNo}`).set(as('operator')).expect(200);
      expect(body.case?.phase).toBe('awaiting-sign');
      return body as Json;
    });

  it('should take a finding a grid worker files from their grid, and keep a small matter with that grid', async () => {
    const created = await http()
      .post('/api/v1/cases')
      .set(as('gridWorker'))
      .send(finding('patrol-small-matter'))
      .expect(201);
    const caseNo = created.body.caseNo as string;
    const { case: record } = await dispatched(caseNo);
    expect(record).toMatchObject({
      rulesVersion: 'nanjing@1',
      channel: 'grid',
      leadUnitId: GRID,
      coUnitIds: [],
      place: { gridId: GRID, communityId: 'c-xiyuan', streetId: 's-hubin', districtId: 'd-donghu' },
    });
    const stored = await stack.pg.query(`SELECT payload->'filedBy' AS filed FROM intake_requests WHERE case_no = $1`, [
      caseNo,
    ]);
    expect(stored.rows[0].filed).toEqual({ userId: expect.any(String), role: 'handler', unitId: GRID });
    // The grid handles it itself: its worker signs; the community above it cannot.
    await http().post(`/api/v1/cases/${caseNo}/sign`).set(as('community')).send({}).expect(403);
    const signed = await http().post(`/api/v1/cases/${caseNo}/sign`).set(as('gridWorker')).send({}).expect(200);
    expect(signed.body.lifecycle.phase).toBe('handling');
  });

  it('should refuse a finding from a grid not the worker’s own, naming place.gridId', async () => {
    const refused = await http()
      .post('/api/v1/cases')
      .set(as('gridWorker'))
      .send(finding('patrol-small-matter', 'g-xiyuan-2'))
      .expect(400);
    expect(refused.body.details).toEqual([expect.objectContaining({ field: 'place.gridId', rule: 'own-grid' })]);
  });

  it.each([
    ['an anonymous caller', undefined, 'category', 'patrol-by-grid-worker'],
    ['a community handler', 'community', 'category', 'patrol-by-grid-worker'],
  ] as const)('should refuse a finding filed by %s, naming the category', async (_title, user, field, rule) => {
    const request = http().post('/api/v1/cases');
    if (user) void request.set(as(user));
    const refused = await request.send(finding('patrol-joint-action')).expect(400);
    expect(refused.body.details).toEqual([expect.objectContaining({ field, rule })]);
  });

  it('should refuse a finding that does not come in through the grid channel, naming channel', async () => {
    const refused = await http()
      .post('/api/v1/cases')
      .set(as('gridWorker'))
      .send(finding('patrol-small-matter', GRID, { channel: 'hotline' }))
      .expect(400);
    expect(refused.body.details).toEqual([expect.objectContaining({ field: 'channel', rule: 'patrol-channel' })]);
  });

  it('should start a rapid joint action of several departments under the district command centre', async () => {
    const created = await http()
      .post('/api/v1/cases')
      .set(as('gridWorker'))
      .send(finding('patrol-joint-action'))
      .expect(201);
    const caseNo = created.body.caseNo as string;
    const view = await dispatched(caseNo);
    const coUnits = view.case.coUnitIds as string[];
    expect(view.case.leadUnitId).toBe('s-hubin');
    expect(coUnits.length).toBeGreaterThanOrEqual(2);
    expect(coUnits).toContain('dept-donghu-urban-management');
    // Two-level command: the district's command centre dispatches and commands the case; its operator sees it.
    expect(view.workflow.state.lifecycle.plan.serviceCentreId).toBe('centre-donghu');
    await http().get(`/api/v1/cases/${caseNo}`).set(as('districtCommand')).expect(200);

    // The street signs; every department of the joint action gets its part to report.
    await http().post(`/api/v1/cases/${caseNo}/sign`).set(as('street')).send({}).expect(200);
    await eventually(async () => {
      const tasks = await stack.pg.query(
        `SELECT unit_id FROM tasks WHERE case_no = $1 AND step = 'co-unit-report' AND status = 'open' ORDER BY unit_id`,
        [caseNo],
      );
      expect(tasks.rows.map((row: { unit_id: string }) => row.unit_id)).toEqual([...coUnits].sort());
    });

    // A rapid whistle for the patrol finding brings the departments to the spot within the hour.
    const whistled = await http()
      .post(`/api/v1/cases/${caseNo}/whistle`)
      .set(as('street'))
      .send({ departmentIds: coUnits.slice(0, 2), grade: 'rapid', trigger: 'patrol-finding', reason: '多部门联合处置' })
      .expect(200);
    expect(whistled.body.lifecycle.whistleRounds).toMatchObject([
      { round: 1, grade: 'rapid', departmentIds: coUnits.slice(0, 2), status: 'open' },
    ]);
  });
});
