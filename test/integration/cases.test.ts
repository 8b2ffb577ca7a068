import { INestApplication } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { Client as PgClient } from 'pg';
import pino from 'pino';
import request from 'supertest';
import { createApiApp } from '../../apps/api/src/bootstrap';
import { CaseService } from '../../apps/api/src/cases/case.service';
import { CaseWorker, createCaseWorker } from '../../apps/worker/src/case-worker';
import { bearer, TEST_AUTH, tokenFor } from '../support/auth';
import { quietTemporalRuntime } from '../support/quiet-runtime';
import { requiredTestEnv, TEST_ENV } from '../support/test-env';

/**
 * HTTP -> workflow -> activity -> database -> HTTP, against the shared Temporal dev server and embedded
 * PostgreSQL of the integration tier. This file owns its task queue; every case it makes has its own key.
 */
describe('cases over HTTP', () => {
  const databaseUrl = requiredTestEnv(TEST_ENV.databaseUrl);
  const address = requiredTestEnv(TEST_ENV.temporalAddress);
  const taskQueue = `it-cases-${randomUUID()}`;
  const temporal = { address, namespace: 'default', taskQueue };
  const logger = pino({ level: 'silent' });
  let app: INestApplication;
  let workerConnection: NativeConnection;
  let caseWorker: CaseWorker;
  let pg: PgClient;
  let client: Client;
  /** Reading a case needs a staff role; the operator of the demo city's service centre reads them here. */
  let operatorToken: string;

  async function startWorker(): Promise<CaseWorker> {
    const started = await createCaseWorker({
      databaseUrl,
      connection: workerConnection,
      namespace: 'default',
      taskQueue,
    });
    void started.run();
    return started;
  }

  beforeAll(async () => {
    quietTemporalRuntime();
    workerConnection = await NativeConnection.connect({ address });
    caseWorker = await startWorker();
    app = await createApiApp({ databaseUrl, temporal, logger, auth: TEST_AUTH });
    await app.init();
    operatorToken = await tokenFor(app, 'operator');
    pg = new PgClient({ connectionString: databaseUrl });
    await pg.connect();
    client = new Client({ connection: await Connection.connect({ address }) });
  });

  afterAll(async () => {
    await app?.close();
    await caseWorker?.shutdown();
    await workerConnection?.close();
    await pg?.end();
    await client?.connection.close();
  });

  const http = () => request(app.getHttpServer());

  function body(overrides: Record<string, unknown> = {}) {
    return {
      kind: 'complaint',
      category: 'noise-nuisance',
      channel: 'hotline',
      description: `施工噪声扰民 ${randomUUID()}`,
      // Unique per request: intake links a request at an open case's address to that case as a duplicate.
      address: `示范市东湖区花园路${randomUUID().slice(0, 8)}号`,
      citizen: { name: '王小明', phone: '13800138000' },
      place: { communityId: 'c-xiyuan', streetId: 's-hubin', districtId: 'd-donghu' },
      ...overrides,
    };
  }

  /** Polls the case until its workflow reports the stage (the workflow runs on its own after the POST). */
  async function waitForStage(caseNo: string, stage: string) {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const response = await http().get(`/api/v1/cases/${caseNo}`).set(bearer(operatorToken));
      if (response.status === 200 && response.body.case?.stage === stage && response.body.workflow?.state) {
        return response.body;
      }
      if (Date.now() > deadline)
        throw new Error(`case ${caseNo} never reached ${stage}: ${JSON.stringify(response.body)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  async function countIntakes(where: string, params: unknown[]): Promise<number> {
    const result = await pg.query(`SELECT count(*)::int AS n FROM intake_requests WHERE ${where}`, params);
    return result.rows[0].n as number;
  }

  async function countWorkflows(workflowId: string): Promise<number> {
    let n = 0;
    for await (const execution of client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) {
      if (execution.workflowId === workflowId) n += 1;
    }
    return n;
  }

  it('should answer liveness and readiness with the state of database, Temporal and worker', async () => {
    await http().get('/health').expect(200, { status: 'ok' });
    const ready = await http().get('/ready').expect(200);
    expect(ready.body).toMatchObject({
      status: 'ok',
      checks: { database: { ok: true }, temporal: { ok: true }, worker: { ok: true } },
    });
  });

  it('should create a case, run its workflow and return the row with the live workflow state', async () => {
    const created = await http().post('/api/v1/cases').send(body()).expect(201);
    expect(created.body).toMatchObject({ status: 'started', replayed: false });
    expect(created.body.caseNo).toMatch(/^\d{14,}$/);
    expect(created.headers.location).toBe(`/api/v1/cases/${created.body.caseNo}`);

    const view = await waitForStage(created.body.caseNo, 'awaiting-sign');
    expect(view).toMatchObject({
      caseNo: created.body.caseNo,
      workflowId: `case-${created.body.caseNo}`,
      intakeStatus: 'started',
      case: {
        kind: 'complaint',
        category: 'noise-nuisance',
        urgency: 'normal',
        status: 'open',
        phase: 'awaiting-sign',
        leadUnitId: 's-hubin',
        escalationLevel: 'none',
        citizen: { name: '王**', phone: '138****8000' },
        place: { communityId: 'c-xiyuan', streetId: 's-hubin', districtId: 'd-donghu' },
        rulesVersion: 'beijing@1',
      },
      workflow: { status: 'RUNNING', state: { stage: 'awaiting-sign', status: 'open' } },
    });
    expect(Object.keys(view.case.deadlines).sort()).toEqual(['contact', 'handle', 'return-window', 'sign']);
    expect(view.case.deadlines.handle).toMatchObject({
      duration: '7WD',
      calendarId: expect.stringMatching(/^cn-mainland/),
    });
    expect(view.case.lifecycle.dispatchedAt).not.toBeNull();
    // The row keeps the real contact details for the call-back; only the API masks them.
    const row = await pg.query('SELECT citizen_phone FROM cases WHERE case_no = $1', [created.body.caseNo]);
    expect(row.rows[0].citizen_phone).toBe('13800138000');
  });

  it('should return the same case for a POST retried with the same Idempotency-Key, with one workflow', async () => {
    const key = `retry-${randomUUID()}`;
    const payload = body();
    const first = await http().post('/api/v1/cases').set('Idempotency-Key', key).send(payload).expect(201);
    const again = await http().post('/api/v1/cases').set('Idempotency-Key', key).send(payload).expect(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual({ ...first.body, replayed: true });
    expect(await countIntakes('idempotency_key = $1', [key])).toBe(1);
    await waitForStage(first.body.caseNo, 'awaiting-sign');
    expect(await countWorkflows(`case-${first.body.caseNo}`)).toBe(1);
  });

  it('should create one case when the same key is POSTed concurrently', async () => {
    const key = `race-${randomUUID()}`;
    const payload = body();
    const responses = await Promise.all(
      Array.from({ length: 5 }, () => http().post('/api/v1/cases').set('Idempotency-Key', key).send(payload)),
    );
    const caseNos = new Set(responses.map((response) => response.body.caseNo));
    expect(caseNos.size).toBe(1);
    expect(responses.map((response) => response.status).sort()).toEqual([200, 200, 200, 200, 201]);
    const [caseNo] = [...caseNos];
    await waitForStage(caseNo, 'awaiting-sign');
    expect(await countWorkflows(`case-${caseNo}`)).toBe(1);
  });

  it('should refuse a reused Idempotency-Key with a different body and change nothing', async () => {
    const key = `reuse-${randomUUID()}`;
    await http().post('/api/v1/cases').set('Idempotency-Key', key).send(body()).expect(201);
    const refused = await http().post('/api/v1/cases').set('Idempotency-Key', key).send(body()).expect(422);
    expect(refused.body).toMatchObject({ error: 'IdempotencyKeyReused', details: [{ field: 'Idempotency-Key' }] });
    expect(await countIntakes('idempotency_key = $1', [key])).toBe(1);
  });

  it('should refuse a bad body with 400 naming every field and rule, storing nothing', async () => {
    const before = await countIntakes('true', []);
    const refused = await http()
      .post('/api/v1/cases')
      .send({ ...body(), kind: 'gossip', channel: undefined, urgency: 'asap', location: { lat: 123, lng: 0 }, x: 1 })
      .expect(400);
    expect(refused.body.error).toBe('ValidationFailed');
    const problems = (refused.body.details as { field: string; rule: string }[]).map((d) => `${d.field}:${d.rule}`);
    expect(problems).toEqual(
      expect.arrayContaining([
        'kind:isIn',
        'channel:isIn',
        'urgency:isIn',
        'location.lat:max',
        'x:whitelistValidation',
      ]),
    );
    expect(await countIntakes('true', [])).toBe(before);
  });

  it('should refuse a category the routing catalogue does not know, or a place outside the org tree', async () => {
    const before = await countIntakes('true', []);
    const category = await http()
      .post('/api/v1/cases')
      .send(body({ category: 'ufo-sighting' }))
      .expect(400);
    expect(category.body.details).toEqual([expect.objectContaining({ field: 'category', rule: 'unknown-category' })]);
    const place = await http()
      .post('/api/v1/cases')
      .send(body({ place: { streetId: 's-nowhere', districtId: 'd-donghu' } }))
      .expect(400);
    expect(place.body.details).toEqual([expect.objectContaining({ field: 'place' })]);
    expect(await countIntakes('true', [])).toBe(before);
  });

  it('should record the lifecycle as append-only domain events', async () => {
    const created = await http().post('/api/v1/cases').send(body()).expect(201);
    await waitForStage(created.body.caseNo, 'awaiting-sign');
    const rows = await pg.query('SELECT seq, type, detail FROM case_events WHERE case_no = $1 ORDER BY seq', [
      created.body.caseNo,
    ]);
    expect(rows.rows.map((row) => row.seq)).toEqual(rows.rows.map((_, i) => i + 1));
    expect(rows.rows.map((row) => row.type)).toEqual(expect.arrayContaining(['dispatched', 'deadline-set']));
    const handle = rows.rows.find((row) => row.type === 'deadline-set' && row.detail.kind === 'handle');
    expect(handle.detail).toMatchObject({ duration: '7WD', calendar: expect.stringMatching(/^cn-mainland/) });
    await expect(
      pg.query(`UPDATE case_events SET type = 'forged' WHERE case_no = $1`, [created.body.caseNo]),
    ).rejects.toThrow(/append-only/);
    await expect(pg.query(`DELETE FROM case_events WHERE case_no = $1`, [created.body.caseNo])).rejects.toThrow(
      /append-only/,
    );
  });

  it('should refuse a malformed Idempotency-Key header, naming it', async () => {
    const refused = await http().post('/api/v1/cases').set('Idempotency-Key', 'has spaces').send(body()).expect(400);
    expect(refused.body.details).toEqual([expect.objectContaining({ field: 'Idempotency-Key', rule: 'format' })]);
  });

  it('should answer 404 for an unknown case and 400 for a malformed case number', async () => {
    const missing = await http().get('/api/v1/cases/19990101000001').set(bearer(operatorToken)).expect(404);
    expect(missing.body.error).toBe('CaseNotFound');
    const malformed = await http().get('/api/v1/cases/not-a-case').set(bearer(operatorToken)).expect(400);
    expect(malformed.body.details[0]).toMatchObject({ field: 'caseNo', rule: 'format' });
  });

  it('should finish a case submitted while no worker was running once a worker starts', async () => {
    await caseWorker.shutdown();
    const created = await http().post('/api/v1/cases').send(body()).expect(201);
    const row = await pg.query('SELECT count(*)::int AS n FROM cases WHERE case_no = $1', [created.body.caseNo]);
    expect(row.rows[0].n).toBe(0);
    caseWorker = await startWorker();
    await waitForStage(created.body.caseNo, 'awaiting-sign');
  });

  it('should keep a submission Temporal refused and start its workflow later', async () => {
    const broken = await createApiApp({
      databaseUrl,
      temporal: { ...temporal, namespace: 'no-such-namespace' },
      logger,
      auth: TEST_AUTH,
    });
    await broken.init();
    let caseNo: string;
    try {
      const accepted = await request(broken.getHttpServer()).post('/api/v1/cases').send(body()).expect(202);
      expect(accepted.body.status).toBe('received');
      caseNo = accepted.body.caseNo;
    } finally {
      await broken.close();
    }
    expect(await countIntakes(`case_no = $1 AND status = 'received'`, [caseNo])).toBe(1);
    await app.get(CaseService).startPending();
    const view = await waitForStage(caseNo, 'awaiting-sign');
    expect(view.intakeStatus).toBe('started');
  });

  it('should publish the OpenAPI description of the case endpoints', async () => {
    const spec = await http().get('/api/docs-json').expect(200);
    expect(Object.keys(spec.body.paths)).toEqual(
      expect.arrayContaining(['/api/v1/cases', '/api/v1/cases/{caseNo}', '/health', '/ready']),
    );
    expect(spec.body.components.schemas.CreateCaseDto.required).toEqual(
      expect.arrayContaining(['kind', 'category', 'channel', 'description']),
    );
  });
});
