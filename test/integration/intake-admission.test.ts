import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import pino from 'pino';
import request from 'supertest';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApiApp } from '../../apps/api/src/bootstrap';
import { CaseWorker, createCaseWorker } from '../../apps/worker/src/case-worker';
import { caseWorkflowId } from '../../libs/domain/src/case/case.types';
import { bearer, TEST_AUTH } from '../support/auth';
import { noiseComplaintBody } from '../support/case-fixtures';
import { eventually, startTestStack, TestStack } from '../support/test-stack';
import { requiredTestEnv, TEST_ENV } from '../support/test-env';

/**
 * Admission control of intake (docs/operations.md, "Intake under load"): with no worker running and a start queue
 * far smaller than the burst, every POST is stored once and answered 201 or 202, and every submission's workflow
 * starts once the starter drains the stored rows; submissions stored while Temporal was unreachable are started by
 * an API that boots later.
 */
describe('intake admission control', () => {
  const address = requiredTestEnv(TEST_ENV.temporalAddress);
  /** A queue of 4 keys, 2 starts at a time: a burst of 16 overflows it. */
  const INTAKE_ENV = { INTAKE_QUEUE_LIMIT: '4', INTAKE_START_CONCURRENCY: '2' };
  let stack: TestStack<'operator'>;
  let connection: Connection;
  let client: Client;
  let worker: CaseWorker | undefined;
  let workerConnection: NativeConnection | undefined;

  beforeAll(async () => {
    const saved = Object.fromEntries(Object.keys(INTAKE_ENV).map((key) => [key, process.env[key]]));
    Object.assign(process.env, INTAKE_ENV);
    try {
      // No worker: the workers have fallen behind entirely; starts still succeed (Temporal stores them).
      stack = await startTestStack({
        label: 'it-intake-admission',
        scratch: true,
        seed: true,
        worker: false,
        users: { operator: 'operator' },
      });
    } finally {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
    connection = await Connection.connect({ address });
    client = new Client({ connection, namespace: 'default' });
  });

  afterAll(async () => {
    // The worker first: its activities write to the scratch database that stop() drops.
    await worker?.shutdown();
    await workerConnection?.close();
    await stack?.stop();
    await connection?.close();
  }, 180_000);

  async function intakeRows(keys: string[]) {
    const rows = await stack.pg.query<{ idempotency_key: string; case_no: string; status: string }>(
      `SELECT idempotency_key, case_no, status FROM intake_requests WHERE idempotency_key = ANY($1)`,
      [keys],
    );
    return rows.rows;
  }

  it('should store and answer every POST of a burst larger than the queue, and start each case once', async () => {
    const server = stack.app.getHttpServer() as Server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const keys = Array.from({ length: 16 }, () => `burst-${randomUUID()}`);
    const responses = await Promise.all(
      keys.map((key) =>
        request(`http://127.0.0.1:${port}`)
          .post('/api/v1/cases')
          .set(bearer(stack.tokens.operator))
          .set('Idempotency-Key', key)
          .send(noiseComplaintBody()),
      ),
    );
    for (const response of responses) {
      expect([201, 202]).toContain(response.status);
      expect(response.body.status).toBe(response.status === 201 ? 'started' : 'received');
    }
    const stored = await intakeRows(keys);
    expect(stored).toHaveLength(16);
    expect(new Set(stored.map((row) => row.case_no)).size).toBe(16);
    expect(new Set(responses.map((response) => response.body.caseNo))).toEqual(new Set(stored.map((r) => r.case_no)));

    // The starter drains the stored rows: every case's workflow starts, once (its id is the case number's).
    await eventually(async () =>
      expect((await intakeRows(keys)).map((row) => row.status)).toEqual(Array(16).fill('started')),
    );
    const described = await Promise.all(
      stored.map((row) => client.workflow.getHandle(caseWorkflowId(row.case_no)).describe()),
    );
    expect(described.map((description) => description.status.name)).toEqual(Array(16).fill('RUNNING'));

    // Once a worker runs, every accepted case is dispatched.
    workerConnection = await NativeConnection.connect({ address });
    worker = await createCaseWorker({
      databaseUrl: stack.databaseUrl,
      connection: workerConnection,
      namespace: 'default',
      taskQueue: stack.taskQueue,
    });
    void worker.run();
    await eventually(async () => {
      const dispatched = await stack.pg.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM cases WHERE case_no = ANY($1) AND dispatched_at IS NOT NULL`,
        [stored.map((row) => row.case_no)],
      );
      expect(dispatched.rows[0].n).toBe(16);
    }, 120_000);
  }, 240_000);

  it('should start submissions stored while Temporal was unreachable once an API boots', async () => {
    const unreachable = await createApiApp({
      databaseUrl: stack.databaseUrl,
      // Nothing listens on port 1: every start fails at once.
      temporal: { address: '127.0.0.1:1', namespace: 'default', taskQueue: stack.taskQueue, callTimeoutMs: 2_000 },
      logger: pino({ level: 'silent' }),
      auth: TEST_AUTH,
    });
    await unreachable.init();
    const caseNos: string[] = [];
    try {
      for (let i = 0; i < 3; i += 1) {
        const accepted = await request(unreachable.getHttpServer())
          .post('/api/v1/cases')
          .send(noiseComplaintBody())
          .expect(202);
        caseNos.push(accepted.body.caseNo);
      }
    } finally {
      await unreachable.close();
    }
    const received = await stack.pg.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM intake_requests WHERE case_no = ANY($1) AND status = 'received'`,
      [caseNos],
    );
    expect(received.rows[0].n).toBe(3);
    // A fresh API (a restart) sweeps the stored rows at boot.
    const restarted = await createApiApp({
      databaseUrl: stack.databaseUrl,
      temporal: { address, namespace: 'default', taskQueue: stack.taskQueue },
      logger: pino({ level: 'silent' }),
      auth: TEST_AUTH,
    });
    await restarted.init();
    try {
      await eventually(async () => {
        const started = await stack.pg.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM intake_requests WHERE case_no = ANY($1) AND status = 'started'`,
          [caseNos],
        );
        expect(started.rows[0].n).toBe(3);
      });
      for (const caseNo of caseNos) {
        expect((await client.workflow.getHandle(caseWorkflowId(caseNo)).describe()).status.name).toBe('RUNNING');
      }
    } finally {
      await restarted.close();
    }
  }, 120_000);
});
