import { bearer, handlerOf } from '../support/auth';
import { noiseComplaintBody } from '../support/case-fixtures';
import { eventually, startTestStack, TestStack } from '../support/test-stack';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * A mirror write that PostgreSQL refuses for its content — here a check constraint the test adds, standing in for a
 * defect no retry fixes — raises an incident instead of wedging the case: the case goes on answering, the incident is
 * listed, an admin retries it after the fix (the refused events are written, the incident resolved) or resolves one
 * by hand, on the audit log. On a database of its own: the constraint would poison other files' cases.
 */
describe('incidents', () => {
  const USERS = { admin: 'admin', operator: 'operator', handler: handlerOf('s-hubin') };
  type User = keyof typeof USERS;
  let stack: TestStack<User>;

  beforeAll(async () => {
    stack = await startTestStack({ label: 'it-incidents', scratch: true, seed: true, users: USERS });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const http = () => stack.http();
  const as = (user: User) => bearer(stack.tokens[user]);
  const act = (caseNo: string, path: string, body: object = {}) =>
    http().post(`/api/v1/cases/${caseNo}/${path}`).set(as('handler')).send(body);
  const poison = (note: string) =>
    stack.pg.query(
      `ALTER TABLE case_events ADD CONSTRAINT it_poison_${note.toLowerCase()} CHECK (detail->>'note' IS DISTINCT FROM '${note}')`,
    );
  const cure = (note: string) =>
    stack.pg.query(`ALTER TABLE case_events DROP CONSTRAINT it_poison_${note.toLowerCase()}`);
  const eventTypes = async (caseNo: string) =>
    (await stack.pg.query(`SELECT type FROM case_events WHERE case_no = $1 ORDER BY seq`, [caseNo])).rows.map(
      (row: { type: string }) => row.type,
    );

  async function signedCase(): Promise<string> {
    const created = await http().post('/api/v1/cases').send(noiseComplaintBody()).expect(201);
    const caseNo = created.body.caseNo as string;
    await eventually(async () => {
      const view = await http().get(`/api/v1/cases/${caseNo}`).set(as('operator')).expect(200);
      expect(view.body.case?.phase).toBe('awaiting-sign');
    });
    await act(caseNo, 'sign').expect(200);
    return caseNo;
  }

  it('should keep a poisoned case answering, list its incident, and write the refused events once retried', async () => {
    const caseNo = await signedCase();
    await poison('POISONA');
    await act(caseNo, 'contact', { note: 'POISONA' }).expect(200);
    const incident = await eventually(async () => {
      const { body } = await http().get('/api/v1/incidents').set(as('operator')).expect(200);
      const found = (body as Json[]).find((row) => row.caseNo === caseNo);
      expect(found).toMatchObject({ step: 'appendCaseEvents', errorType: 'MirrorRejected', status: 'open' });
      return found as Json;
    });
    expect(incident.message).toMatch(/it_poison_poisona/);

    // The case still answers and mirrors what follows.
    await act(caseNo, 'reply', { result: 'solved', summary: '已处理' }).expect(200);
    await eventually(async () => expect(await eventTypes(caseNo)).toContain('replied'));
    expect(await eventTypes(caseNo)).not.toContain('contacted');

    // Only an admin retries; after the fix the refused events are written and the incident resolved.
    await http().post(`/api/v1/incidents/${incident.id}/retry`).set(as('operator')).expect(403);
    await cure('POISONA');
    await http().post(`/api/v1/incidents/${incident.id}/retry`).set(as('admin')).expect(200);
    await eventually(async () => expect(await eventTypes(caseNo)).toContain('contacted'));
    await eventually(async () => {
      const { body } = await http().get('/api/v1/incidents?status=resolved').set(as('admin')).expect(200);
      expect((body as Json[]).find((row) => row.id === incident.id)).toMatchObject({ resolvedBy: 'system' });
    });
  });

  it('should let an admin resolve an incident by hand, on the audit log', async () => {
    const caseNo = await signedCase();
    await poison('POISONB');
    await act(caseNo, 'contact', { note: 'POISONB' }).expect(200);
    const incident = await eventually(async () => {
      const { body } = await http().get('/api/v1/incidents').set(as('admin')).expect(200);
      const found = (body as Json[]).find((row) => row.caseNo === caseNo);
      expect(found).toBeDefined();
      return found as Json;
    });
    await cure('POISONB');
    const blank = await http().post(`/api/v1/incidents/${incident.id}/resolve`).set(as('admin')).send({ reason: ' ' });
    expect(blank.status).toBe(400);
    const resolved = await http()
      .post(`/api/v1/incidents/${incident.id}/resolve`)
      .set(as('admin'))
      .send({ reason: '已人工核对，联系记录另行补录' })
      .expect(200);
    expect(resolved.body).toMatchObject({ status: 'resolved', resolution: '已人工核对，联系记录另行补录' });
    await http().post(`/api/v1/incidents/${incident.id}/resolve`).set(as('admin')).send({ reason: '再次' }).expect(409);
    const audit = await stack.pg.query(
      `SELECT reason FROM audit_log WHERE action = 'incident.resolved' AND subject_id = $1`,
      [incident.id],
    );
    expect(audit.rows).toEqual([{ reason: '已人工核对，联系记录另行补录' }]);
    await http().post('/api/v1/incidents/999999/retry').set(as('admin')).expect(404);
  });

  it('should refuse to retry an incident whose workflow has ended, change nothing, and still let it be resolved', async () => {
    const {
      rows: [row],
    } = await stack.pg.query(
      `INSERT INTO incidents (case_no, workflow_id, incident_key, step, error_type, message)
       VALUES ('20991231-999999', 'case-20991231-999999', 'events:1', 'appendCaseEvents', 'MirrorRejected', 'refused')
       RETURNING id`,
    );
    const refused = await http().post(`/api/v1/incidents/${row.id}/retry`).set(as('admin'));
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/has ended.*resolve the incident/);
    const after = await stack.pg.query(`SELECT status FROM incidents WHERE id = $1`, [row.id]);
    expect(after.rows).toEqual([{ status: 'open' }]);
    const retried = await stack.pg.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'incident.retried' AND subject_id = $1`,
      [String(row.id)],
    );
    expect(retried.rows).toEqual([{ n: 0 }]);
    await http()
      .post(`/api/v1/incidents/${row.id}/resolve`)
      .set(as('admin'))
      .send({ reason: '案件已结束' })
      .expect(200);
  });
});
