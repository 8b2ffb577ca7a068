import { Client, Connection } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { Client as PgClient } from 'pg';
import { caseWorkflowId } from '../../libs/domain/src/case/case.types';
import { CASE_ACTION_UPDATES } from '../../workflows/complaint-case/messages';
import { bearer, handlerOf } from '../support/auth';
import { noiseComplaintBody } from '../support/case-fixtures';
import { eventually, startTestStack, TestStack } from '../support/test-stack';
import { requiredTestEnv, TEST_ENV } from '../support/test-env';

/**
 * Case and task actions with an Idempotency-Key, against the Temporal dev server and PostgreSQL: the key is the
 * Update's id, a retry answers the first answer (200, `Idempotent-Replayed: true`) and never 409, and the same key
 * with another request answers 422. Without a key, nothing changes.
 */
describe('idempotent actions', () => {
  let stack: TestStack;
  let pg: PgClient;
  let tokens: Record<string, string>;
  let temporal: Client;

  beforeAll(async () => {
    stack = await startTestStack({
      label: 'it-idempotent-actions',
      users: { operator: 'operator', street: handlerOf('s-hubin') },
    });
    ({ pg, tokens } = stack);
    temporal = new Client({
      connection: await Connection.connect({ address: requiredTestEnv(TEST_ENV.temporalAddress) }),
    });
  });

  afterAll(async () => {
    await temporal?.connection.close();
    await stack?.stop();
  });

  const act = (caseNo: string, path: string, key: string | undefined, body: object = {}) => {
    const call = stack.http().post(`/api/v1/cases/${caseNo}/${path}`).set(bearer(tokens.street));
    return (key ? call.set('Idempotency-Key', key) : call).send(body);
  };

  async function openCase(): Promise<string> {
    const created = await stack.http().post('/api/v1/cases').send(noiseComplaintBody()).expect(201);
    const caseNo: string = created.body.caseNo;
    await eventually(async () => {
      const view = await stack.http().get(`/api/v1/cases/${caseNo}`).set(bearer(tokens.operator)).expect(200);
      expect(view.body.case?.phase).toBe('awaiting-sign');
    });
    return caseNo;
  }

  async function events(caseNo: string, type: string): Promise<number> {
    const rows = await pg.query(
      `SELECT count(*)::int AS n FROM case_events WHERE case_no = $1 AND stream = 'case' AND type = $2`,
      [caseNo, type],
    );
    return rows.rows[0].n as number;
  }

  it('should answer a retried action with its first answer, marked replayed, and apply it once', async () => {
    const caseNo = await openCase();
    const key = `sign-${randomUUID()}`;
    const first = await act(caseNo, 'sign', key).expect(200);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const again = await act(caseNo, 'sign', key).expect(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    // Without a key, the same action is refused as before: it is stale.
    await act(caseNo, 'sign', undefined).expect(409);
    // After the case has moved on, the retry still answers the first answer.
    await act(caseNo, 'contact', `contact-${randomUUID()}`, { note: '已联系' }).expect(200);
    const late = await act(caseNo, 'sign', key).expect(200);
    expect(late.headers['idempotent-replayed']).toBe('true');
    expect(late.body).toEqual(first.body);
    await eventually(async () => expect(await events(caseNo, 'signed')).toBe(1));
    await eventually(async () => expect(await events(caseNo, 'contacted')).toBe(1));
  });

  it('should refuse the same key with another body or another action with 422, changing nothing', async () => {
    const caseNo = await openCase();
    const key = `contact-${randomUUID()}`;
    await act(caseNo, 'sign', undefined).expect(200);
    await act(caseNo, 'contact', key, { note: '第一次联系' }).expect(200);
    const otherBody = await act(caseNo, 'contact', key, { note: '另一条说明' }).expect(422);
    expect(otherBody.body).toMatchObject({ error: 'IdempotencyKeyReused', details: [{ field: 'Idempotency-Key' }] });
    const otherAction = await act(caseNo, 'suspend', key, { reason: '等待市民补充材料' }).expect(422);
    expect(otherAction.body.error).toBe('IdempotencyKeyReused');
    const malformed = await act(caseNo, 'contact', 'has spaces', { note: 'x' }).expect(400);
    expect(malformed.body.details).toEqual([expect.objectContaining({ field: 'Idempotency-Key', rule: 'format' })]);
    await eventually(async () => expect(await events(caseNo, 'contacted')).toBe(1));
    expect(await events(caseNo, 'suspended')).toBe(0);
  });

  it('should answer 200, not 409, for an action Temporal applied under the key before the API recorded it', async () => {
    const caseNo = await openCase();
    const key = `lost-${randomUUID()}`;
    const actor = {
      userId: 'api-that-crashed',
      unitId: 's-hubin',
      role: 'handler' as const,
      unitKind: 'street' as const,
    };
    // An API that sent the Update and crashed before answering: the workflow has the Update under the key only.
    const applied = await temporal.workflow.getHandle(caseWorkflowId(caseNo)).executeUpdate(CASE_ACTION_UPDATES.sign, {
      args: [{ actor, action: { type: 'sign' } }],
      updateId: key,
    });
    await act(caseNo, 'contact', undefined, { note: '已联系' }).expect(200);
    const retried = await act(caseNo, 'sign', key).expect(200);
    // Temporal answers a completed Update id with its recorded outcome, even after later Updates.
    expect(retried.body.stage).toBe(applied.stage);
    await eventually(async () => expect(await events(caseNo, 'signed')).toBe(1));
  });

  it('should answer a retried task action with its first answer although the task is closed', async () => {
    const caseNo = await openCase();
    const task = await eventually(async () => {
      const rows = await pg.query(`SELECT id FROM tasks WHERE case_no = $1 AND step = 'sign' AND status <> 'closed'`, [
        caseNo,
      ]);
      expect(rows.rows).toHaveLength(1);
      return rows.rows[0] as { id: string };
    });
    const key = `task-${randomUUID()}`;
    const path = `/api/v1/tasks/${task.id}/actions/sign`;
    const first = await stack
      .http()
      .post(path)
      .set(bearer(tokens.street))
      .set('Idempotency-Key', key)
      .send({})
      .expect(200);
    await eventually(async () => {
      const rows = await pg.query(`SELECT status FROM tasks WHERE id = $1`, [task.id]);
      expect(rows.rows[0].status).toBe('closed');
    });
    const again = await stack
      .http()
      .post(path)
      .set(bearer(tokens.street))
      .set('Idempotency-Key', key)
      .send({})
      .expect(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    // Without the key the closed task is stale, as before.
    await stack.http().post(path).set(bearer(tokens.street)).send({}).expect(409);
    expect(await events(caseNo, 'signed')).toBe(1);
  });
});
