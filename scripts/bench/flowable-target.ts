/*
 * The Flowable peer as a lifecycle benchmark target (docs/performance.md, "Flowable peer"). The same complaint
 * lifecycle as a BPMN process (bench/flowable/src/main/resources/processes/complaint-case.bpmn20.xml) on an embedded
 * Flowable 7 engine (async executor on) in a JVM, on a database of its own on the same PostgreSQL server as
 * Shaosheng, behind a small HTTP server (bench/flowable/src/main/java/.../PeerServer.java):
 *   POST /cases {"i": n} → 201 {"caseId"}, POST /cases/:id/:step → 200 once the user task is completed, GET /health.
 *
 * start() builds the jar when it is missing or older than its sources (`mvn -q -o -B package`, then online
 * `mvn -q -B package` with ~/.m2 as the cache), (re)creates the peer's database, starts the JVM and waits for
 * /health. Nothing here runs in the tests: the peer is a benchmark, Maven is needed only to run it.
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { freePort } from '../../libs/platform/src';
import { LifecycleStep, LifecycleTarget } from './target';

export const FLOWABLE_PROJECT = resolve(__dirname, '../../bench/flowable');
/** Where the compiled script lives (.cache/bench/scripts/bench) the project is three levels further up. */
function projectDir(): string {
  if (existsSync(join(FLOWABLE_PROJECT, 'pom.xml'))) return FLOWABLE_PROJECT;
  return resolve(__dirname, '../../../../bench/flowable');
}

export interface FlowableTargetOptions {
  /** postgres://user:password@host:port/db of the PostgreSQL server to use; the peer gets a database of its own. */
  databaseUrl: string;
  /** The peer's database on that server (default flowable_peer); dropped and created afresh unless `keep`. */
  database?: string;
  keep?: boolean;
  /** HTTP port of the peer (default: a free port). */
  port?: number;
  /** JDBC pool size and HTTP worker threads of the peer (defaults 24 and 16). */
  pool?: number;
  threads?: number;
  /** Extra JVM options (default -Xms256m -Xmx768m). */
  javaOptions?: string[];
  log?: (line: string) => void;
}

export class FlowableTarget implements LifecycleTarget {
  readonly name = 'Flowable 7';
  private child?: ChildProcess;
  private base = '';
  private exited?: string;

  constructor(private readonly options: FlowableTargetOptions) {}

  async start(): Promise<void> {
    const log = this.options.log ?? (() => undefined);
    const jar = buildJar(log);
    const jdbcUrl = await this.prepareDatabase();
    const port = this.options.port ?? (await freePort());
    this.base = `http://127.0.0.1:${port}`;
    const args = [
      ...(this.options.javaOptions ?? ['-Xms256m', '-Xmx768m']),
      '-jar',
      jar,
      '--port',
      String(port),
      '--pool',
      String(this.options.pool ?? 24),
      '--threads',
      String(this.options.threads ?? 16),
    ];
    log(`starting the Flowable peer: java ${args.join(' ')}`);
    const child = spawn('java', args, {
      env: { ...process.env, PEER_JDBC_URL: jdbcUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    let tail = '';
    const keep = (chunk: Buffer) => {
      tail = (tail + chunk.toString()).slice(-4000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.once('exit', (code, signal) => {
      this.exited = `exited with ${signal ?? code}`;
    });
    const deadline = Date.now() + 180_000;
    while (Date.now() < deadline) {
      if (this.exited) throw new Error(`the Flowable peer ${this.exited}:\n${tail}`);
      const up = await fetch(`${this.base}/health`).then(
        (response) => response.ok,
        () => false,
      );
      if (up) {
        log(`Flowable peer up at ${this.base}`);
        return;
      }
      await new Promise((done) => setTimeout(done, 500));
    }
    await this.stop();
    throw new Error(`the Flowable peer did not answer /health within 180 s:\n${tail}`);
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || this.exited) return;
    const gone = new Promise<void>((done) => child.once('exit', () => done()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await gone;
    clearTimeout(timer);
  }

  async createCase(i: number): Promise<string> {
    const response = await fetch(`${this.base}/cases`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ i }),
    });
    const text = await response.text();
    if (response.status !== 201) throw new Error(`Flowable POST /cases answered ${response.status}: ${text}`);
    return (JSON.parse(text) as { caseId: string }).caseId;
  }

  async act(caseId: string, step: LifecycleStep): Promise<void> {
    const response = await fetch(`${this.base}/cases/${encodeURIComponent(caseId)}/${step}`, { method: 'POST' });
    const text = await response.text();
    if (response.status !== 200) throw new Error(`Flowable ${step} on ${caseId} answered ${response.status}: ${text}`);
  }

  /** Creates the peer's database on the given server (afresh unless `keep`) and answers its JDBC URL. */
  private async prepareDatabase(): Promise<string> {
    const database = this.options.database ?? 'flowable_peer';
    if (!/^[a-z_][a-z0-9_]*$/.test(database)) throw new Error(`database name ${database} must match [a-z_][a-z0-9_]*`);
    const url = new URL(this.options.databaseUrl);
    const admin = new Client({ connectionString: this.options.databaseUrl });
    await admin.connect();
    try {
      if (!this.options.keep) await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
      if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${database}`);
    } finally {
      await admin.end();
    }
    const params = new URLSearchParams({
      user: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password),
    });
    return `jdbc:postgresql://${url.hostname}:${url.port || '5432'}/${database}?${params.toString()}`;
  }
}

/** Builds bench/flowable/target/flowable-peer.jar when it is missing or older than pom.xml or src/; answers its path. */
export function buildJar(log: (line: string) => void = () => undefined): string {
  const project = projectDir();
  const jar = join(project, 'target', 'flowable-peer.jar');
  if (existsSync(jar) && statSync(jar).mtimeMs >= newestSource(project)) return jar;
  const maven = (offline: boolean) =>
    spawnSync('mvn', offline ? ['-q', '-o', '-B', 'package'] : ['-q', '-B', 'package'], {
      cwd: project,
      stdio: ['ignore', 'pipe', 'pipe'],
      encoding: 'utf8',
    });
  log('building the Flowable peer (mvn -q -o -B package)');
  let result = maven(true);
  if (result.error || result.status !== 0) {
    log('offline build failed (first build on this machine?): mvn -q -B package from Maven Central');
    result = maven(false);
  }
  if (result.error) throw new Error(`could not run mvn (is Maven installed?): ${result.error.message}`);
  if (result.status !== 0 || !existsSync(jar)) {
    throw new Error(`mvn package failed in ${project}:\n${(result.stdout + result.stderr).slice(-4000)}`);
  }
  return jar;
}

function newestSource(project: string): number {
  let newest = statSync(join(project, 'pom.xml')).mtimeMs;
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  walk(join(project, 'src'));
  return newest;
}
