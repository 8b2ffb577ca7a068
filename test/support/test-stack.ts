import type { INestApplication } from '@nestjs/common';
import { NativeConnection } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { Client as PgClient } from 'pg';
import pino from 'pino';
import request from 'supertest';
import type { ApiSettings } from '../../apps/api/src/app.module';
import { createApiApp } from '../../apps/api/src/bootstrap';
import { CaseWorker, createCaseWorker } from '../../apps/worker/src/case-worker';
import { seedDemoData } from '../../libs/persistence/src';
import { TEST_AUTH, tokenFor } from './auth';
import { quietTemporalRuntime } from './quiet-runtime';
import { createScratchDatabase, ScratchDatabase } from './scratch-database';
import { testWorkflowBundlePath } from './workflow-bundle';
import { requiredTestEnv, TEST_ENV } from './test-env';

/** What an integration test file needs started; see {@link startTestStack}. */
export interface TestStackOptions<User extends string> {
  /** Names the file's task queue (`<label>-<uuid>`) and scratch database, e.g. `it-audit`. */
  label: string;
  /** A migrated database of the file's own, dropped by `stop()`, instead of the tier's shared one. Default false. */
  scratch?: boolean;
  /** Seeds the demo city into the scratch database (the shared one is seeded by the global setup). Default false. */
  seed?: boolean;
  /** Runs a case worker on the task queue. Default true. */
  worker?: boolean;
  /** A fixed task queue instead of `<label>-<uuid>`. */
  taskQueue?: string;
  /**
   * Writes what must be in the database before the worker and the API start (e.g. the file's own users, to whom
   * `users` then issues tokens), through the stack's `pg` client.
   */
  prepare?: (pg: PgClient, databaseUrl: string) => Promise<unknown>;
  /** Bearer tokens to issue once the API is up, by name: `{ street: handlerOf('s-hubin') }` → `tokens.street`. */
  users?: Record<User, string>;
  /** API settings over the defaults (the database and task queue above, a silent logger, {@link TEST_AUTH}). */
  api?: Partial<ApiSettings>;
}

/** The API (initialised, not listening), worker and database client of one integration test file. */
export interface TestStack<User extends string = string> {
  app: INestApplication;
  databaseUrl: string;
  taskQueue: string;
  /** A client of `databaseUrl`, for reading and writing rows behind the API's back. */
  pg: PgClient;
  tokens: Record<User, string>;
  /** A supertest agent on the API. */
  http(): ReturnType<typeof request>;
  /** Closes the API, then the worker and its connection, then `pg`, and drops the scratch database. */
  stop(): Promise<void>;
}

/**
 * Starts what an integration test file runs against, in order: the scratch database (seeded if asked), `pg`,
 * `prepare`, the case worker on the file's task queue, the API (`init()`), the users' tokens. Call it in `beforeAll`
 * and `stop()` in `afterAll`; if starting fails, whatever had started is stopped before the error is rethrown.
 */
export async function startTestStack<User extends string = string>(
  options: TestStackOptions<User>,
): Promise<TestStack<User>> {
  const { label, scratch = false, seed = false, worker = true } = options;
  if (seed && !scratch) throw new Error(`startTestStack(${label}): seed is for a scratch database only`);
  const address = requiredTestEnv(TEST_ENV.temporalAddress);
  const taskQueue = options.taskQueue ?? `${label}-${randomUUID()}`;
  let database: ScratchDatabase | undefined;
  let pg: PgClient | undefined;
  let connection: NativeConnection | undefined;
  let caseWorker: CaseWorker | undefined;
  let app: INestApplication | undefined;
  const stop = async () => {
    await app?.close();
    await caseWorker?.shutdown();
    await connection?.close();
    await pg?.end();
    await database?.drop();
  };

  try {
    if (worker) quietTemporalRuntime();
    if (scratch) database = await createScratchDatabase(label);
    const databaseUrl = database?.url ?? requiredTestEnv(TEST_ENV.databaseUrl);
    if (seed) await seedDemoData(databaseUrl);
    pg = new PgClient({ connectionString: databaseUrl });
    await pg.connect();
    await options.prepare?.(pg, databaseUrl);
    if (worker) {
      connection = await NativeConnection.connect({ address });
      caseWorker = await createCaseWorker({
        databaseUrl,
        connection,
        namespace: 'default',
        taskQueue,
        workflowBundlePath: testWorkflowBundlePath(),
      });
      void caseWorker.run();
    }
    app = await createApiApp({
      databaseUrl,
      temporal: { address, namespace: 'default', taskQueue },
      logger: pino({ level: 'silent' }),
      auth: TEST_AUTH,
      ...options.api,
    });
    await app.init();
    const tokens = {} as Record<User, string>;
    for (const [name, username] of Object.entries<string>(options.users ?? {})) {
      tokens[name as User] = await tokenFor(app, username);
    }
    const api = app;
    return { app, databaseUrl, taskQueue, pg, tokens, http: () => request(api.getHttpServer()), stop };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}

/**
 * Inserts an account that cannot log in (no usable password hash; {@link tokenFor} still issues it a token) and
 * returns its id. `displayName` defaults to the username.
 */
export async function insertTestUser(
  db: PgClient,
  user: { username: string; role: string; unitId: string; displayName?: string },
): Promise<string> {
  const row = await db.query<{ id: string }>(
    `INSERT INTO users (username, display_name, password_hash, role, unit_id)
     VALUES ($1, $2, 'scrypt$unusable', $3, $4) RETURNING id`,
    [user.username, user.displayName ?? user.username, user.role, user.unitId],
  );
  return row.rows[0].id;
}

/**
 * Retries `check` every 200 ms until it resolves, and returns its value; after `timeoutMs` it rethrows the last
 * failure. For what the worker, a projection or a stream does after a request has returned.
 */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
