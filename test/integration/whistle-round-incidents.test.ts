import { bearer, handlerOf } from '../support/auth';
import { noiseComplaintBody } from '../support/case-fixtures';
import { eventually, startTestStack, TestStack } from '../support/test-stack';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * A whistle round's mirror write that PostgreSQL refuses for its content (a check constraint the test adds stands in
 * for a defect no retry fixes) raises an incident of the round instead of wedging it: the round goes on answering,
 * the incident is listed with the round's workflow, and an admin's retry after the fix reaches the round, which
 * writes the refused events and resolves the incident. On a database of its own: the constraint would poison other
 * files' cases.
 */
describe('whistle-round incidents over HTTP', () => {
  const USERS = {
    admin: 'admin',
    operator: 'operator',
    street: handlerOf('s-hubin'),
    urban: handlerOf('dept-urban-management'),
    housing: handlerOf('dept-housing'),
  };
  type User = keyof typeof USERS;
  let stack: TestStack<User>;

  beforeAll(async () => {
    stack = await startTestStack({ label: 'it-whistle-incidents', scratch: true, seed: true, users: USERS });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const http = () => stack.http();
  const as = (user: User) => bearer(stack.tokens[user]);
  const act = (user: User, caseNo: string, path: string, body: object = {}) =>
    http().post(`/api/v1/cases/${caseNo}/${path}`).set(as(user)).send(body);
  const roundEvents = async (caseNo: string) =>
    (
      await stack.pg.query(
        `SELECT seq, type, detail->>'note' AS note FROM case_events WHERE case_no = $1 AND stream = 'whistle-1'
         ORDER BY seq`,
        [caseNo],
      )
    ).rows as Array<{ seq: number; type: string; note: string | null }>;

  it('should keep a poisoned round answering, list its incident, and write the refused events once retried', async () => {
    const created = await http().post('/api/v1/cases').send(noiseComplaintBody()).expect(201);
    const caseNo = created.body.caseNo as string;
    await eventually(async () => {
      const view = await http().get(`/api/v1/cases/${caseNo}`).set(as('operator')).expect(200);
      expect(view.body.case?.phase).toBe('awaiting-sign');
    });
    await act('street', caseNo, 'sign').expect(200);
    await act('street', caseNo, 'contact', { note: '已电话联系' }).expect(200);
    await act('street', caseNo, 'whistle', {
      departmentIds: ['dept-urban-management', 'dept-housing'],
      grade: 'blue',
      reason: '商铺违规搭建需联合执法',
    }).expect(200);
    await eventually(async () => expect((await roundEvents(caseNo)).length).toBeGreaterThan(0));

    await stack.pg.query(
      `ALTER TABLE case_events ADD CONSTRAINT it_poison_round CHECK (detail->>'note' IS DISTINCT FROM 'POISONW')`,
    );
    try {
      await eventually(() => act('urban', caseNo, 'whistle-rounds/1/report', { note: 'POISONW' }).expect(200));
      const incident = await eventually(async () => {
        const { body } = await http().get('/api/v1/incidents').set(as('operator')).expect(200);
        const found = (body as Json[]).find((row) => row.caseNo === caseNo);
        expect(found).toMatchObject({
          workflowId: `case-${caseNo}-whistle-1`,
          step: 'appendCaseEvents',
          errorType: 'MirrorRejected',
          status: 'open',
          key: expect.stringMatching(/^appendCaseEvents:whistle-1:\d+$/),
        });
        return found as Json;
      });
      expect(incident.message).toMatch(/it_poison_round/);

      // The round still answers: the other department reports, and that is mirrored.
      await act('housing', caseNo, 'whistle-rounds/1/report', { note: '已到场' }).expect(200);
      await eventually(async () => expect((await roundEvents(caseNo)).map((e) => e.note)).toContain('已到场'));
      expect((await roundEvents(caseNo)).map((e) => e.note)).not.toContain('POISONW');
    } finally {
      await stack.pg.query(`ALTER TABLE case_events DROP CONSTRAINT it_poison_round`);
    }

    // After the fix, the admin's retry reaches the round: the refused report is written (no gap in the stream) and
    // the incident resolved by the round.
    const { body: open } = await http().get('/api/v1/incidents').set(as('admin')).expect(200);
    const incident = (open as Json[]).find((row) => row.caseNo === caseNo)!;
    await http().post(`/api/v1/incidents/${incident.id}/retry`).set(as('admin')).expect(200);
    await eventually(async () => expect((await roundEvents(caseNo)).map((e) => e.note)).toContain('POISONW'));
    const seqs = (await roundEvents(caseNo)).map((e) => Number(e.seq));
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    await eventually(async () => {
      const { body } = await http().get('/api/v1/incidents?status=resolved').set(as('admin')).expect(200);
      expect((body as Json[]).find((row) => row.id === incident.id)).toMatchObject({ resolvedBy: 'system' });
    });
  });
});
