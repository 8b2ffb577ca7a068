import pino from 'pino';
import request from 'supertest';
import { randomUUID } from 'node:crypto';
import { createApiApp } from '../../apps/api/src/bootstrap';
import { TEST_AUTH } from '../support/auth';
import { eventually, startTestStack, TestStack } from '../support/test-stack';
import { requiredTestEnv, TEST_ENV } from '../support/test-env';

/** `/ready` against the Temporal dev server: live pollers only, and the workers' backlog as a figure. */
describe('readiness', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack({ label: 'it-readiness' });
  });

  afterAll(() => stack?.stop());

  it('should be ready with a live worker, counting its pollers and showing the backlog', async () => {
    const ready = await eventually(() => stack.http().get('/ready').expect(200));
    expect(ready.body.checks.worker).toMatchObject({
      ok: true,
      livePollers: expect.any(Number),
      backlog: { tasks: expect.any(Number), oldestSeconds: expect.any(Number) },
    });
    expect(ready.body.checks.worker.livePollers).toBeGreaterThan(0);
  });

  it('should not be ready when no worker polls the case queue', async () => {
    const lonely = await createApiApp({
      databaseUrl: stack.databaseUrl,
      temporal: {
        address: requiredTestEnv(TEST_ENV.temporalAddress),
        namespace: 'default',
        taskQueue: `it-readiness-empty-${randomUUID()}`,
      },
      logger: pino({ level: 'silent' }),
      auth: TEST_AUTH,
    });
    await lonely.init();
    try {
      const ready = await request(lonely.getHttpServer()).get('/ready').expect(503);
      expect(ready.body.checks.worker).toMatchObject({ ok: false, livePollers: 0 });
      expect(ready.body.checks.database.ok).toBe(true);
    } finally {
      await lonely.close();
    }
  });
});
