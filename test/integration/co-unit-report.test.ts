import { bearer, handlerOf } from '../support/auth';
import { noiseComplaintBody } from '../support/case-fixtures';
import { eventually, insertTestUser, startTestStack, TestStack } from '../support/test-stack';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * First-receiver responsibility (首接负责制): the lead unit owns the case and its co-units report their part to it. A
 * co-unit gets a task in its inbox while the case is handled, reports through it, and the lead sees the report; a unit
 * that is not a co-unit cannot report.
 */
describe('co-units report their part', () => {
  const CO_UNIT = 'dept-ecology';
  let stack: TestStack<'street' | 'ecology' | 'operator'>;

  beforeAll(async () => {
    stack = await startTestStack({
      label: 'it-co-unit',
      prepare: (pg) => insertTestUser(pg, { username: 'it-co-unit-ecology', role: 'handler', unitId: CO_UNIT }),
      users: { street: handlerOf('s-hubin'), ecology: 'it-co-unit-ecology', operator: 'operator' },
    });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const http = () => stack.http();
  const as = (user: 'street' | 'ecology' | 'operator') => bearer(stack.tokens[user]);
  const tasksOf = async (caseNo: string) =>
    (
      await stack.pg.query(`SELECT step, unit_id, status FROM tasks WHERE case_no = $1 AND step = 'co-unit-report'`, [
        caseNo,
      ])
    ).rows;

  it('should give the co-unit a task while the case is handled, and take its report through it', async () => {
    const created = await http().post('/api/v1/cases').send(noiseComplaintBody()).expect(201);
    const caseNo = created.body.caseNo as string;
    const dispatched = await eventually(async () => {
      const { body } = await http().get(`/api/v1/cases/${caseNo}`).set(as('operator')).expect(200);
      expect(body.case?.phase).toBe('awaiting-sign');
      return body.case as Json;
    });
    expect(dispatched.coUnitIds).toEqual([CO_UNIT]);
    expect(await tasksOf(caseNo)).toEqual([]); // not before the lead signs

    await http().post(`/api/v1/cases/${caseNo}/sign`).set(as('street')).send({}).expect(200);
    await eventually(async () =>
      expect(await tasksOf(caseNo)).toEqual([{ step: 'co-unit-report', unit_id: CO_UNIT, status: 'open' }]),
    );

    // The lead cannot report a co-unit's part; the co-unit reports from its inbox.
    const inbox = await http().get(`/api/v1/tasks?step=co-unit-report&q=${caseNo}`).set(as('ecology')).expect(200);
    const task = inbox.body.items[0] as Json;
    expect(task).toMatchObject({ unitId: CO_UNIT, actions: ['co-unit-report'] });
    const blank = await http()
      .post(`/api/v1/tasks/${task.id}/actions/co-unit-report`)
      .set(as('ecology'))
      .send({ summary: '' });
    expect(blank.status).toBe(400);
    const reported = await http()
      .post(`/api/v1/tasks/${task.id}/actions/co-unit-report`)
      .set(as('ecology'))
      .send({ summary: '已对商铺噪声进行监测，超标，已开具整改通知' })
      .expect(200);
    expect(reported.body.lifecycle.coUnitReports[CO_UNIT]).toMatchObject({
      summary: '已对商铺噪声进行监测，超标，已开具整改通知',
    });
    await eventually(async () =>
      expect(await tasksOf(caseNo)).toEqual([{ step: 'co-unit-report', unit_id: CO_UNIT, status: 'closed' }]),
    );
    const events = await stack.pg.query(
      `SELECT actor->>'unitId' AS unit FROM case_events WHERE case_no = $1 AND type = 'co-unit-reported'`,
      [caseNo],
    );
    expect(events.rows).toEqual([{ unit: CO_UNIT }]);
  });
});
