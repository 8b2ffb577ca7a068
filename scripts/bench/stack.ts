/*
 * The stack the benchmarks run against: what `npm start` runs (PostgreSQL, one Temporal dev server, the worker and
 * the API), started piece by piece so a benchmark can reach each of them:
 *
 * - an embedded PostgreSQL with pg_stat_statements loaded (statements per case are counted from it);
 * - one Temporal dev server on a SQLite file (WAL by default, `--sqlite rollback` for SQLite's own defaults);
 * - the product itself, `node dist/apps/embedded/src/main.js` of APP_DIR (default: this checkout, built by
 *   `npm run build`), as a child process given DATABASE_URL and TEMPORAL_ADDRESS: the worker and the API in one
 *   process, exactly as `npm start` runs them.
 *
 * Everything lives in a scratch folder under /tmp that stop() removes.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  appendFileSync,
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { DEFAULT_SQLITE_PRAGMAS, freePort, RunningDevServer, startDevServer } from '../../libs/platform/src';
import { RunningPostgres, startEmbeddedPostgres } from '../../libs/platform/src/postgres/embedded-postgres';

export const out = (line = ''): void => void process.stdout.write(`${line}\n`);

export interface StackOptions {
  /** The checkout whose dist/ runs (default: the repository this script is in). */
  appDir?: string;
  /** `wal` (the default pragmas of the embedded server) or `rollback` (SQLite's defaults). */
  sqlite?: 'wal' | 'rollback';
  /** Extra environment for the product, e.g. { INTAKE_RATE_LIMIT: '100000' }. */
  env?: Record<string, string>;
  /** Start the product at all (false: only PostgreSQL and Temporal). */
  app?: boolean;
}

export interface BenchStack {
  root: string;
  api: string;
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  databaseUrl: string;
  temporalDbFile: string;
  /** A client of the product's database, for counting (its statements carry `bench` and are left out of counts). */
  pg: Client;
  app?: ChildProcess;
  stop(): Promise<void>;
}

const repoRoot = resolve(__dirname, '..', '..', '..', '..');

/** Arguments `--name value` / `--flag` of the command line. */
export function arg(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 && process.argv[at + 1] !== undefined ? process.argv[at + 1] : fallback;
}

export async function startBenchStack(options: StackOptions = {}): Promise<BenchStack> {
  const appDir = resolve(options.appDir ?? process.env.APP_DIR ?? repoRoot);
  const root = mkdtempSync(join('/tmp', 'shaosheng-bench-'));
  chmodSync(root, 0o755);
  const stops: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const step of stops.reverse()) await step().catch(() => undefined);
    rmSync(root, { recursive: true, force: true, maxRetries: 5, retryDelay: 500 });
  };
  try {
    const pgPort = await freePort();
    let postgres: RunningPostgres = await startEmbeddedPostgres({
      dataDir: join(root, 'pg'),
      port: pgPort,
      database: 'shaosheng',
    });
    // pg_stat_statements must be preloaded: set it, restart once.
    const admin = new Client({ connectionString: postgres.url });
    await admin.connect();
    await admin.query(`ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'`);
    await admin.query(`ALTER SYSTEM SET pg_stat_statements.track = 'all'`);
    await admin.end();
    await postgres.stop();
    postgres = await startEmbeddedPostgres({ dataDir: join(root, 'pg'), port: pgPort, database: 'shaosheng' });
    stops.push(() => postgres.stop());
    const pg = new Client({ connectionString: postgres.url, application_name: 'bench' });
    await pg.connect();
    await pg.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    stops.push(() => pg.end());

    const temporalDbFile = join(root, 'temporal.db');
    const devServer: RunningDevServer = await startDevServer({
      port: await freePort(),
      namespace: 'default',
      dbFile: temporalDbFile,
      sqlitePragmas: options.sqlite === 'rollback' ? {} : { ...DEFAULT_SQLITE_PRAGMAS },
    });
    stops.push(() => devServer.stop());

    const port = await freePort();
    const stack: BenchStack = {
      root,
      api: `http://127.0.0.1:${port}`,
      temporalAddress: devServer.address,
      namespace: 'default',
      taskQueue: 'shaosheng-cases',
      databaseUrl: postgres.url,
      temporalDbFile,
      pg,
      stop,
    };
    if (options.app === false) return stack;

    // What npm start runs first: the build, which skips whatever is up to date.
    const build = join(appDir, 'scripts', 'build', 'build.mjs');
    if (existsSync(build))
      execFileSync(process.execPath, [build, '--no-console'], { cwd: appDir, stdio: ['ignore', 'ignore', 'inherit'] });
    const main = join(appDir, 'dist', 'apps', 'embedded', 'src', 'main.js');
    if (!existsSync(main)) throw new Error(`${main} is missing: run npm run build in ${appDir}`);
    // e.g. BENCH_PRODUCT_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' to profile the product
    const nodeArgs = (process.env.BENCH_PRODUCT_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const app = spawn(process.execPath, [...nodeArgs, main], {
      cwd: appDir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL: postgres.url,
        TEMPORAL_ADDRESS: devServer.address,
        DATA_DIR: join(root, 'data'),
        AUTH_DEMO_USERS: 'true',
        JWT_SECRET: randomBytes(36).toString('base64'),
        LOGIN_RATE_LIMIT: '100000',
        INTAKE_RATE_LIMIT: '100000000',
        LOG_LEVEL: 'warn',
        // e.g. BENCH_PRODUCT_ENV='WORKER_MAX_CACHED_WORKFLOWS=500 INTAKE_START_WAIT_MS=500' to try settings
        ...Object.fromEntries(
          (process.env.BENCH_PRODUCT_ENV ?? '')
            .split(' ')
            .filter((pair) => pair.includes('='))
            .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
        ),
        ...options.env,
      },
    });
    let stderr = '';
    // BENCH_PRODUCT_LOG=<file>: everything the product prints goes to that file too (with LOG_LEVEL, to debug a run).
    const logFile = process.env.BENCH_PRODUCT_LOG;
    const keep = (chunk: Buffer) => {
      if (logFile) appendFileSync(logFile, chunk);
      stderr = (stderr + chunk.toString()).slice(-4000);
    };
    app.stderr?.on('data', keep);
    app.stdout?.on('data', keep);
    const exited = new Promise<void>((done) => app.once('exit', () => done()));
    stops.push(async () => {
      if (app.exitCode !== null) return;
      app.kill('SIGTERM');
      const timer = setTimeout(() => app.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    });
    stack.app = app;
    const deadline = Date.now() + 180_000;
    for (;;) {
      if (app.exitCode !== null) throw new Error(`the product exited: ${stderr}`);
      const ready = await fetch(`${stack.api}/ready`).then(
        (response) => response.status === 200,
        () => false,
      );
      if (ready) break;
      if (Date.now() > deadline) throw new Error(`the product was not ready in 180 s: ${stderr}`);
      await sleep(250);
    }
    return stack;
  } catch (error) {
    await stop();
    throw error;
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

/** Resident memory of a process in MiB (from /proc), or NaN. */
export function rssMiB(pid: number | undefined): number {
  if (!pid) return NaN;
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('VmRSS:'));
    return line ? Number(line.split(/\s+/)[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** The pids of the product's child processes (the worker process `npm start` runs by default). */
export function productChildren(stack: BenchStack): number[] {
  const parent = stack.app?.pid;
  if (!parent) return [];
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === parent;
      } catch {
        return false;
      }
    });
}

/** The product's resident memory: the API process (npm start's) and its worker process, in MiB. */
export function productRss(stack: BenchStack): { api: number; worker: number; total: number } {
  const api = rssMiB(stack.app?.pid);
  const worker = productChildren(stack).reduce((sum, pid) => sum + (rssMiB(pid) || 0), 0);
  return { api, worker, total: api + worker };
}

/** `API 124 + worker 210 MiB`. */
export function productRssText(stack: BenchStack): string {
  const { api, worker } = productRss(stack);
  return `API ${fmt(api, 0)} + worker ${fmt(worker, 0)} MiB`;
}

/** Size in MiB of the Temporal SQLite file with its WAL. */
export function temporalDbMiB(file: string): number {
  return ['', '-wal', '-shm'].reduce((sum, suffix) => {
    try {
      return sum + statSync(file + suffix).size / 2 ** 20;
    } catch {
      return sum;
    }
  }, 0);
}

/** `nproc`, memory and the 1-minute load average, for the header of every benchmark. */
export function machine(): string {
  const [one, five, fifteen] = loadavg();
  return (
    `machine: ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB; ` +
    `load average ${one.toFixed(2)} ${five.toFixed(2)} ${fifteen.toFixed(2)}; ${new Date().toISOString()}`
  );
}

/** The q-quantile (0..1) of the values, nearest rank; NaN for none. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

export const fmt = (value: number, digits = 2): string => (Number.isFinite(value) ? value.toFixed(digits) : '—');

/** Statements the product ran since the last reset (pg_stat_statements), leaving out the benchmark's own. */
export async function statementsSinceReset(pg: Client): Promise<number> {
  const { rows } = await pg.query<{ calls: string }>(
    `SELECT coalesce(sum(s.calls), 0) AS calls /* bench */
       FROM pg_stat_statements s
      WHERE s.query NOT LIKE '%bench%' AND s.query NOT ILIKE '%pg_stat_statements%'`,
  );
  return Number(rows[0].calls);
}

export async function resetStatements(pg: Client): Promise<void> {
  await pg.query('SELECT pg_stat_statements_reset() /* bench */');
}

/** Logs in a demo user over HTTP and answers its bearer token. */
export async function login(api: string, username: string): Promise<string> {
  const response = await fetch(`${api}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'shaosheng-demo' }),
  });
  if (response.status !== 200) throw new Error(`login ${username}: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { accessToken: string }).accessToken;
}

/** One JSON request; answers the status and the parsed body. */
export async function call(
  api: string,
  method: string,
  path: string,
  body?: unknown,
  token?: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${api}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    parsed = { text };
  }
  return { status: response.status, body: parsed };
}

/** CPU seconds (user + system, from /proc) of the stack's processes, by part. */
export interface CpuSample {
  temporal: number;
  postgres: number;
  product: number;
  plainWorker: number;
  driver: number;
}

const CLOCK_TICKS = 100;

/** utime + stime of one process, in seconds; 0 when it is gone. */
function processCpu(pid: number): { cpu: number; reaped: number; ppid: number; cmd: string } {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
    return {
      cpu: (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS,
      // of its children that exited and were waited for (PostgreSQL's backends)
      reaped: (Number(fields[13]) + Number(fields[14])) / CLOCK_TICKS,
      ppid: Number(fields[1]),
      cmd,
    };
  } catch {
    return { cpu: 0, reaped: 0, ppid: 0, cmd: '' };
  }
}

/**
 * What each part of the stack has used so far: the Temporal dev server (the process whose command line names the
 * stack's SQLite file), PostgreSQL (the postmaster of the stack's data folder and its children), the product and the
 * plain worker (by pid), and this driver. Backends that exited since the last sample are not counted.
 */
export function cpuSample(stack: BenchStack, plainWorkerPid?: number): CpuSample {
  const all = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => ({ pid: Number(name), ...processCpu(Number(name)) }));
  const postmaster = all.find((p) => p.cmd.includes(join(stack.root, 'pg')) && p.cmd.includes('postgres'));
  const own = process.cpuUsage();
  const sum = (pick: (p: (typeof all)[number]) => boolean) => all.filter(pick).reduce((s, p) => s + p.cpu, 0);
  return {
    temporal: sum((p) => p.cmd.includes(stack.temporalDbFile)),
    postgres: postmaster ? postmaster.reaped + sum((p) => p.pid === postmaster.pid || p.ppid === postmaster.pid) : NaN,
    product: sum((p) => p.pid === stack.app?.pid || (stack.app?.pid !== undefined && p.ppid === stack.app.pid)),
    plainWorker: plainWorkerPid ? sum((p) => p.pid === plainWorkerPid) : 0,
    driver: (own.user + own.system) / 1e6,
  };
}

/** CPU seconds used between two samples, by part. */
export function cpuBetween(before: CpuSample, after: CpuSample): CpuSample {
  return {
    temporal: after.temporal - before.temporal,
    postgres: after.postgres - before.postgres,
    product: after.product - before.product,
    plainWorker: after.plainWorker - before.plainWorker,
    driver: after.driver - before.driver,
  };
}

/** The statements the product sent itself (not those run inside functions and triggers) since the last reset. */
export async function topLevelStatementsSinceReset(pg: Client): Promise<number> {
  const { rows } = await pg.query<{ calls: string }>(
    `SELECT coalesce(sum(s.calls), 0) AS calls /* bench */
       FROM pg_stat_statements s
      WHERE s.toplevel AND s.query NOT LIKE '%bench%' AND s.query NOT ILIKE '%pg_stat_statements%'`,
  );
  return Number(rows[0].calls);
}

/** The `limit` statements run most often since the last reset, with calls and total time (--statements). */
export async function topStatements(pg: Client, limit = 25): Promise<{ calls: number; ms: number; query: string }[]> {
  const { rows } = await pg.query<{ calls: string; ms: string; query: string; toplevel: boolean }>(
    `SELECT calls, total_exec_time AS ms, toplevel, query /* bench */
       FROM pg_stat_statements s
      WHERE s.query NOT LIKE '%bench%' AND s.query NOT ILIKE '%pg_stat_statements%'
      ORDER BY calls DESC LIMIT $1`,
    [limit],
  );
  return rows.map((r) => ({
    calls: Number(r.calls),
    ms: Number(r.ms),
    query: `${r.toplevel ? '' : '(nested) '}${r.query.replace(/\s+/g, ' ').slice(0, 140)}`,
  }));
}
