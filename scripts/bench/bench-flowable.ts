/*
 * Shaosheng against its Flowable peer, side by side in one run (npm run bench:flowable; docs/performance.md,
 * "Flowable peer").
 *
 * Starts the embedded Shaosheng stack (the compiled apps/embedded main: its embedded PostgreSQL, Temporal dev
 * server, worker and API in one process, on a data directory of its own under /tmp), then the Flowable peer
 * (scripts/bench/flowable-target.ts) on a database of its own on the same PostgreSQL server. Both are driven over
 * HTTP through create → sign → contact → reply → review → call-back → closed by the same driver below: at each load
 * (concurrent cases), Shaosheng then Flowable, each for the same number of seconds after a short warm-up. Prints
 * cases/s for both and their ratio, and the action latency p50 / p99 (the five steps; creation separately).
 * Figures, not assertions.
 *
 * Environment: BENCH_LOADS (concurrent cases per load, default "4,16"), BENCH_SECONDS (per target and load,
 * default 60), BENCH_WARMUP (cases per target before the first load, default 20).
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { DEMO_PASSWORD } from '../../apps/api/src/auth/demo-users';
import { freePort } from '../../libs/platform/src';
import { FlowableTarget } from './flowable-target';
import { LIFECYCLE_STEPS, LifecycleStep, LifecycleTarget } from './target';

const LOADS = (process.env.BENCH_LOADS ?? '4,16').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 20);
const out = (line = '') => process.stdout.write(`${line}\n`);

/** The compiled product next to this compiled script (.cache/bench-flowable/…). */
const COMPILED_ROOT = resolve(__dirname, '..', '..');

/** Who takes each step on Shaosheng (the demo city's street handler of 湖滨街道 and the centre's operator), and its body. */
const SHAOSHENG_STEPS: Record<LifecycleStep, { as: 'street' | 'operator'; body: object }> = {
  sign: { as: 'street', body: {} },
  contact: { as: 'street', body: { note: '已电话联系' } },
  reply: { as: 'street', body: { result: 'solved', summary: '商铺已整改，噪声消除' } },
  review: { as: 'operator', body: { accepted: true } },
  callback: { as: 'operator', body: { reached: true, solved: true, satisfaction: 'satisfied' } },
};

/**
 * Shaosheng as `npm start` runs it, in a child process: the embedded main with its own PostgreSQL and Temporal dev
 * server on free ports. A case is a noise complaint in 西苑社区 at an address of its own (never a duplicate).
 */
class EmbeddedShaoshengTarget implements LifecycleTarget {
  readonly name = 'Shaosheng';
  databaseUrl = '';
  private child?: ChildProcess;
  private base = '';
  private dataDir = '';
  private tokens = { street: '', operator: '' };
  private readonly run = randomBytes(3).toString('hex');

  async start(): Promise<void> {
    // Our own folder under /tmp (traversable by the `postgres` OS user when run as root); removed at stop().
    this.dataDir = mkdtempSync(join('/tmp', 'shaosheng-bench-flowable-'));
    chmodSync(this.dataDir, 0o755);
    const [port, postgresPort, temporalPort, uiPort] = [
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    this.base = `http://127.0.0.1:${port}`;
    this.databaseUrl = `postgres://shaosheng:shaosheng@127.0.0.1:${postgresPort}/shaosheng`;
    const child = spawn(process.execPath, [join(COMPILED_ROOT, 'apps/embedded/src/main.js')], {
      env: {
        ...process.env,
        DATA_DIR: this.dataDir,
        PORT: String(port),
        HOST: '127.0.0.1',
        EMBEDDED_POSTGRES_PORT: String(postgresPort),
        EMBEDDED_TEMPORAL_PORT: String(temporalPort),
        TEMPORAL_UI_PORT: String(uiPort),
        LOG_LEVEL: 'warn',
        JWT_SECRET: randomBytes(36).toString('base64'),
        AUTH_DEMO_USERS: 'true',
        LOGIN_RATE_LIMIT: '100000',
        INTAKE_RATE_LIMIT: '100000',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    let tail = '';
    let exited = '';
    const keep = (chunk: Buffer) => {
      tail = (tail + chunk.toString()).slice(-4000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.once('exit', (code, signal) => {
      exited = `exited with ${signal ?? code}`;
    });
    const deadline = Date.now() + 300_000;
    for (;;) {
      if (exited) throw new Error(`the embedded Shaosheng stack ${exited}:\n${tail}`);
      const ready = await fetch(`${this.base}/ready`, { signal: AbortSignal.timeout(15_000) }).then(
        (response) => response.ok,
        () => false,
      );
      if (ready) break;
      if (Date.now() > deadline) throw new Error(`the embedded Shaosheng stack was not ready within 300 s:\n${tail}`);
      await sleep(1000);
    }
    this.tokens = { street: await this.login('handler.s-hubin'), operator: await this.login('operator') };
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child && child.exitCode === null && child.signalCode === null) {
      const gone = new Promise<void>((done) => child.once('exit', () => done()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await gone;
      clearTimeout(timer);
    }
    if (this.dataDir) rmSync(this.dataDir, { recursive: true, force: true });
  }

  async createCase(i: number): Promise<string> {
    const body = {
      kind: 'complaint',
      category: 'noise-nuisance',
      channel: 'hotline',
      description: '楼下商铺夜间噪声扰民（性能对比）',
      address: `示范市东湖区湖滨路性能对比${this.run}-${i}号`,
      citizen: { name: '李女士', phone: '13900001111' },
      place: { communityId: 'c-xiyuan', streetId: 's-hubin', districtId: 'd-donghu' },
    };
    const answer = await this.send('/api/v1/cases', { key: `bench-flowable-${this.run}-${i}`, body });
    if (answer.status < 200 || answer.status >= 300) {
      throw new Error(`Shaosheng POST /cases answered ${answer.status}: ${answer.text}`);
    }
    return (JSON.parse(answer.text) as { caseNo: string }).caseNo;
  }

  /** One step; a sign is retried while the case is not yet dispatched (404 / 403 / 409), a 503 after a pause. */
  async act(caseNo: string, step: LifecycleStep): Promise<void> {
    const { as, body } = SHAOSHENG_STEPS[step];
    const deadline = Date.now() + 120_000;
    for (;;) {
      const answer = await this.send(`/api/v1/cases/${caseNo}/${step}`, {
        token: this.tokens[as],
        key: `bench-flowable-${this.run}-${caseNo}-${step}`,
        body,
      });
      if (answer.status >= 200 && answer.status < 300) return;
      const notYet = step === 'sign' && [403, 404, 409].includes(answer.status);
      if ((!notYet && answer.status !== 503) || Date.now() > deadline) {
        throw new Error(`Shaosheng ${step} on ${caseNo} answered ${answer.status}: ${answer.text}`);
      }
      await sleep(answer.status === 503 ? 1000 : 100);
    }
  }

  private async login(username: string): Promise<string> {
    const answer = await this.send('/api/v1/auth/login', { body: { username, password: DEMO_PASSWORD } });
    if (answer.status !== 200) throw new Error(`login as ${username} answered ${answer.status}: ${answer.text}`);
    return (JSON.parse(answer.text) as { accessToken: string }).accessToken;
  }

  private async send(
    path: string,
    options: { token?: string; key?: string; body?: object },
  ): Promise<{ status: number; text: string }> {
    const response = await fetch(`${this.base}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...(options.key ? { 'idempotency-key': options.key } : {}),
      },
      body: options.body ? JSON.stringify(options.body) : undefined,
      signal: AbortSignal.timeout(120_000),
    });
    return { status: response.status, text: await response.text() };
  }
}

interface LoadResult {
  target: string;
  load: number;
  cases: number;
  failed: number;
  seconds: number;
  casesPerSecond: number;
  create: number[];
  actions: number[];
  firstError?: string;
}

/**
 * The driver: `load` cases in flight at a time, each created then taken through the five steps one call after the
 * other; new cases start until `seconds` have passed, then the cases in flight finish. Throughput counts the cases
 * that reached the end over the whole time, including the cases in flight at the end.
 */
async function drive(
  target: LifecycleTarget,
  load: number,
  seconds: number,
  first: number,
  maxCases = Infinity,
): Promise<LoadResult> {
  const result: LoadResult = {
    target: target.name,
    load,
    cases: 0,
    failed: 0,
    seconds: 0,
    casesPerSecond: 0,
    create: [],
    actions: [],
  };
  let next = first;
  const started = performance.now();
  const until = started + seconds * 1000;
  const lane = async () => {
    while (performance.now() < until && next - first < maxCases) {
      const i = next++;
      try {
        let at = performance.now();
        const caseId = await target.createCase(i);
        result.create.push(performance.now() - at);
        for (const step of LIFECYCLE_STEPS) {
          at = performance.now();
          await target.act(caseId, step);
          result.actions.push(performance.now() - at);
        }
        result.cases += 1;
      } catch (error) {
        result.failed += 1;
        result.firstError ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: load }, lane));
  result.seconds = (performance.now() - started) / 1000;
  result.casesPerSecond = result.cases / result.seconds;
  return result;
}

async function main(): Promise<void> {
  const shaosheng = new EmbeddedShaoshengTarget();
  let flowable: FlowableTarget | undefined;
  try {
    out('starting the embedded Shaosheng stack …');
    await shaosheng.start();
    flowable = new FlowableTarget({ databaseUrl: shaosheng.databaseUrl, log: (line) => out(line) });
    out('starting the Flowable peer on the same PostgreSQL server …');
    await flowable.start();
    const targets: LifecycleTarget[] = [shaosheng, flowable];

    // Case numbers: each run of the driver draws from its own block of a million.
    let first = 0;
    for (const target of targets) {
      const warm = await drive(target, 2, 600, first, WARMUP);
      first += 1_000_000;
      out(`warmed up ${target.name}: ${describe(warm)}`);
    }

    const results: LoadResult[] = [];
    for (const load of LOADS) {
      for (const target of targets) {
        out(`${target.name}: ${load} concurrent cases for ${SECONDS} s …`);
        const result = await drive(target, load, SECONDS, first);
        first += 1_000_000;
        results.push(result);
        out(`  ${describe(result)}`);
      }
    }
    report(results);
  } finally {
    await flowable?.stop().catch(() => undefined);
    await shaosheng.stop().catch(() => undefined);
  }
}

function describe(result: LoadResult): string {
  return (
    `${result.cases} cases in ${result.seconds.toFixed(1)} s = ${result.casesPerSecond.toFixed(2)} cases/s; ` +
    `action p50 ${ms(percentile(result.actions, 0.5))} p99 ${ms(percentile(result.actions, 0.99))}; ` +
    `create p50 ${ms(percentile(result.create, 0.5))}` +
    (result.failed ? `; ${result.failed} failed (first: ${result.firstError})` : '')
  );
}

function report(results: LoadResult[]): void {
  const [one, five, fifteen] = loadavg();
  out('');
  out(`load average at the end: ${one.toFixed(2)} ${five.toFixed(2)} ${fifteen.toFixed(2)}`);
  out('');
  out(
    '| load | Shaosheng cases/s | Flowable cases/s | ratio | Shaosheng action p50 / p99 | Flowable action p50 / p99 | failed |',
  );
  out('| --- | --- | --- | --- | --- | --- | --- |');
  for (const load of LOADS) {
    const s = results.find((r) => r.load === load && r.target === 'Shaosheng');
    const f = results.find((r) => r.load === load && r.target !== 'Shaosheng');
    if (!s || !f) continue;
    const ratio = f.casesPerSecond > 0 ? (s.casesPerSecond / f.casesPerSecond).toFixed(2) : '∞';
    out(
      `| ${load} | ${s.casesPerSecond.toFixed(2)} | ${f.casesPerSecond.toFixed(2)} | ${ratio}× | ` +
        `${ms(percentile(s.actions, 0.5))} / ${ms(percentile(s.actions, 0.99))} | ` +
        `${ms(percentile(f.actions, 0.5))} / ${ms(percentile(f.actions, 0.99))} | ${s.failed} / ${f.failed} |`,
    );
  }
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}

const ms = (value: number) => (Number.isNaN(value) ? '–' : `${Math.round(value)} ms`);
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
