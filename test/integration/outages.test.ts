import { NativeConnection } from '@temporalio/worker';
import { Client as PgClient } from 'pg';
import pino from 'pino';
import request from 'supertest';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApiApp } from '../../apps/api/src/bootstrap';
import { CaseWorker, createCaseWorker } from '../../apps/worker/src/case-worker';
import { bearer, handlerOf, TEST_AUTH, tokenFor } from '../support/auth';
import { noiseComplaintBody } from '../support/case-fixtures';
import { eventually, startTestStack, TestStack } from '../support/test-stack';
import { requiredTestEnv, TEST_ENV } from '../support/test-env';

/**
 * Outages and races against the Temporal dev server and PostgreSQL: many POSTs with one key make one case, an action
 * whose worker is down answers 503 within the bound (and its retry with the same key answers once the worker is
 * back), and with Temporal unreachable intake still answers 202 and actions 503.
 */
describe('outages and races', () => {
  const address = requiredTestEnv(TEST_ENV.temporalAddress);
  const taskQueue = `it-outages-${randomUUID()}`;
  let stack: TestStack;
  let pg: PgClient;
  let connection: NativeConnection;
  let worker: CaseWorker | undefined;

  async function startWorker(): Promise<void> {
    worker = await createCaseWorker({
      databaseUrl: stack.databaseUrl,
      connection,
      namespace: 'default',
      taskQueue: stack.taskQueue,
    });
    void worker.run();
  }

  beforeAll(async () => {
    // A scratch database: the case number sequence is this file's alone. A 2 s bound keeps the file short.
    stack = await startTestStack({
      label: 'it-outages',
      scratch: true,
      seed: true,
      worker: false,
      taskQueue,
      users: { operator: 'operator', street: handlerOf('s-hubin') },
      api: { temporal: { address, namespace: 'default', taskQueue, callTimeoutMs: 2_000 } },
    });
    pg = stack.pg;
    connection = await NativeConnection.connect({ address });
    await startWorker();
  });

  afterAll(async () => {
    await worker?.shutdown();
    await connection?.close();
    await stack?.stop();
  });

  const view = (caseNo: string) =>
    stack.http().get(`/api/v1/cases/${caseNo}`).set(bearer(stack.tokens.operator)).expect(200);

  async function lastSerial(): Promise<number> {
    const rows = await pg.query(`SELECT last_value::int AS n FROM case_no_seq`);
    return rows.rows[0].n as number;
  }

  it('should make one case, one workflow and one case number of 60 concurrent POSTs with one key', async () => {
    const key = `flood-${randomUUID()}`;
    const body = noiseComplaintBody();
    const before = await lastSerial();
    // One listening server (supertest would otherwise open one per request); app.close() closes it.
    const server = stack.app.getHttpServer() as Server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const responses = await Promise.all(
      Array.from({ length: 60 }, () =>
        request(`http://127.0.0.1:${port}`).post('/api/v1/cases').set('Idempotency-Key', key).send(body),
      ),
    );
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([...Array.from({ length: 59 }, () => 200), 201]);
    expect(new Set(responses.map((response) => response.body.caseNo)).size).toBe(1);
    expect(new Set(responses.map((response) => response.body.status))).toEqual(new Set(['started']));
    expect(responses.filter((response) => response.headers['idempotent-replayed'] === 'true')).toHaveLength(59);
    expect(await lastSerial()).toBe(before + 1);
    const rows = await pg.query(`SELECT count(*)::int AS n FROM intake_requests WHERE idempotency_key = $1`, [key]);
    expect(rows.rows[0].n).toBe(1);
  });

  it('should answer 503 with Retry-After when the worker is down, change nothing, and answer the retry later', async () => {
    const created = await stack.http().post('/api/v1/cases').send(noiseComplaintBody()).expect(201);
    const caseNo: string = created.body.caseNo;
    await eventually(async () => expect((await view(caseNo)).body.case?.phase).toBe('awaiting-sign'));
    await worker?.shutdown();
    worker = undefined;
    const key = `outage-${randomUUID()}`;
    const sign = () =>
      stack
        .http()
        .post(`/api/v1/cases/${caseNo}/sign`)
        .set(bearer(stack.tokens.street))
        .set('Idempotency-Key', key)
        .send({});
    const refused = await sign().expect(503);
    expect(refused.headers['retry-after']).toMatch(/^\d+$/);
    expect(refused.body).toMatchObject({
      error: 'EngineUnavailable',
      message: expect.stringMatching(/Idempotency-Key/),
    });
    const row = await pg.query(`SELECT phase FROM cases WHERE case_no = $1`, [caseNo]);
    expect(row.rows[0].phase).toBe('awaiting-sign');
    await startWorker();
    // The Update sent during the outage may have been applied since: either way the retry answers 200, once.
    const retried = await eventually(async () => sign().expect(200));
    expect(retried.body.stage).not.toBe('awaiting-sign');
    await eventually(async () => {
      const events = await pg.query(
        `SELECT count(*)::int AS n FROM case_events WHERE case_no = $1 AND stream = 'case' AND type = 'signed'`,
        [caseNo],
      );
      expect(events.rows[0].n).toBe(1);
    });
  });

  it('should store a submission with 202 and refuse an action with 503 while Temporal is unreachable', async () => {
    const created = await stack.http().post('/api/v1/cases').send(noiseComplaintBody()).expect(201);
    const dispatched: string = created.body.caseNo;
    await eventually(async () => expect((await view(dispatched)).body.case?.phase).toBe('awaiting-sign'));
    const unreachable = await createApiApp({
      databaseUrl: stack.databaseUrl,
      // Nothing listens on port 1: every Temporal call fails at once and is retried within the bound only.
      temporal: { address: '127.0.0.1:1', namespace: 'default', taskQueue: stack.taskQueue, callTimeoutMs: 2_000 },
      logger: pino({ level: 'silent' }),
      auth: TEST_AUTH,
    });
    await unreachable.init();
    try {
      const http = () => request(unreachable.getHttpServer());
      const accepted = await http().post('/api/v1/cases').send(noiseComplaintBody()).expect(202);
      expect(accepted.body.status).toBe('received');
      const token = await tokenFor(unreachable, handlerOf('s-hubin'));
      const refused = await http().post(`/api/v1/cases/${dispatched}/sign`).set(bearer(token)).send({});
      expect(refused.status).toBe(503);
      expect(refused.headers['retry-after']).toMatch(/^\d+$/);
      const ready = await http().get('/ready').expect(503);
      expect(ready.body.checks.temporal.ok).toBe(false);
    } finally {
      await unreachable.close();
    }
  });
});
