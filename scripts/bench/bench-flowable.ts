/*
 * npm run bench:flowable — Shaosheng against its Flowable peer, side by side in one run (docs/performance.md,
 * "Flowable peer").
 *
 * The stack is bench:lifecycle's (scripts/bench/stack.ts: an embedded PostgreSQL with pg_stat_statements, one
 * Temporal dev server, the product as `npm start` runs it) and Shaosheng is driven by bench:lifecycle's target
 * (scripts/bench/shaosheng-target.ts). The Flowable peer (scripts/bench/flowable-target.ts: an embedded Flowable 7
 * engine in a JVM, async executor on) runs on a database of its own on the same PostgreSQL server. At each load,
 * Shaosheng then Flowable take the same number of cases through create → sign → contact → reply → review →
 * call-back → closed, one call per step, `load` cases in flight at once. Prints cases/s of both and the ratio, action
 * latency p50/p99 (the five steps) and create p50, and SQL statements per case in each product's database
 * (pg_stat_statements, background polling included). Figures, never assertions.
 *
 *   --loads 1,4     concurrent cases (one driver loop each)
 *   --cases N       cases per target and load (default: 8 per concurrent case, at least 12)
 *   --warmup 10     cases per target before the first load (JIT, caches, connection pools)
 */
import { Client } from 'pg';
import { FlowableTarget } from './flowable-target';
import { ShaoshengTarget } from './shaosheng-target';
import { arg, BenchStack, fmt, machine, out, quantile, startBenchStack } from './stack';
import { LIFECYCLE_STEPS, LifecycleTarget } from './target';

/** The peer's database on the product's PostgreSQL server. */
const FLOWABLE_DATABASE = 'flowable_peer';

interface LoadResult {
  target: string;
  load: number;
  cases: number;
  failures: number;
  firstFailure?: string;
  seconds: number;
  casesPerSecond: number;
  createMs: number[];
  actionMs: number[];
  statementsPerCase: number;
}

/**
 * Runs `cases` cases through the target with `load` of them in flight at once: each created, then its five steps one
 * call after the other (bench:lifecycle's driver; lifecycle.ts runs its own benchmark when imported, so the loop is
 * repeated here).
 */
async function drive(target: LifecycleTarget, load: number, cases: number, offset: number) {
  const createMs: number[] = [];
  const actionMs: number[] = [];
  let next = 0;
  let done = 0;
  let failures = 0;
  let firstFailure: string | undefined;
  const started = performance.now();
  const loop = async () => {
    while (next < cases) {
      const i = offset + next++;
      try {
        let t = performance.now();
        const id = await target.createCase(i);
        createMs.push(performance.now() - t);
        for (const step of LIFECYCLE_STEPS) {
          t = performance.now();
          await target.act(id, step);
          actionMs.push(performance.now() - t);
        }
        done += 1;
      } catch (error) {
        failures += 1;
        firstFailure ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: load }, loop));
  const seconds = (performance.now() - started) / 1000;
  return { cases: done, failures, firstFailure, seconds, casesPerSecond: done / seconds, createMs, actionMs };
}

/** Statements each database ran since the last reset, leaving out the benchmark's own (they carry `bench`). */
async function statementsByDatabase(pg: Client): Promise<Map<string, number>> {
  const { rows } = await pg.query<{ datname: string; calls: string }>(
    `SELECT d.datname, coalesce(sum(s.calls), 0) AS calls /* bench */
       FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
      WHERE s.query NOT LIKE '%bench%' AND s.query NOT ILIKE '%pg_stat_statements%'
      GROUP BY d.datname`,
  );
  return new Map(rows.map((row) => [row.datname, Number(row.calls)]));
}

async function main(): Promise<void> {
  const loads = arg('loads', '1,4')
    .split(',')
    .map(Number)
    .filter((n) => n > 0);
  const casesArg = arg('cases', '');
  const warmup = Number(arg('warmup', '10'));
  out(`bench:flowable — ${machine()}`);

  const stack: BenchStack = await startBenchStack();
  const shaosheng = new ShaoshengTarget(stack);
  const flowable = new FlowableTarget({ databaseUrl: stack.databaseUrl, database: FLOWABLE_DATABASE, log: out });
  const databaseOf = (target: LifecycleTarget) =>
    target === flowable ? FLOWABLE_DATABASE : new URL(stack.databaseUrl).pathname.slice(1);
  try {
    await shaosheng.start();
    await flowable.start();
    const targets: LifecycleTarget[] = [shaosheng, flowable];
    let offset = 0;
    for (const target of targets) {
      const warm = await drive(target, 2, warmup, offset);
      offset += warmup;
      if (warm.cases === 0) throw new Error(`${target.name}: no warm-up case completed: ${warm.firstFailure}`);
      out(`  warm-up ${target.name}: ${warm.cases} cases, action p50 ${fmt(quantile(warm.actionMs, 0.5), 0)} ms`);
    }

    const results: LoadResult[] = [];
    for (const load of loads) {
      const cases = casesArg ? Number(casesArg) : Math.max(12, 8 * load);
      for (const target of targets) {
        await stack.pg.query('SELECT pg_stat_statements_reset() /* bench */');
        const result = await drive(target, load, cases, offset);
        const statements = (await statementsByDatabase(stack.pg)).get(databaseOf(target)) ?? NaN;
        offset += cases;
        results.push({ target: target.name, load, ...result, statementsPerCase: statements / result.cases });
        out(
          `  ${target.name.padEnd(10)} load ${load}: ${result.cases} cases in ${fmt(result.seconds, 1)} s = ` +
            `${fmt(result.casesPerSecond)} cases/s (action p50 ${fmt(quantile(result.actionMs, 0.5), 0)} ms)` +
            (result.failures ? `, ${result.failures} FAILED (first: ${result.firstFailure})` : ''),
        );
      }
    }
    report(results, shaosheng.name, flowable.name);
    out(`Shaosheng actions retried after 409 WrongState (the case not yet caught up): ${shaosheng.retries}`);
    out(`end: ${machine()}`);
  } finally {
    await flowable.stop().catch(() => undefined);
    await stack.stop();
  }
}

function report(results: LoadResult[], ours: string, theirs: string): void {
  out();
  out(
    '| load | Shaosheng cases/s | Flowable cases/s | ratio | Shaosheng action p50 / p99 ms | ' +
      'Flowable action p50 / p99 ms | create p50 ms (S / F) | SQL statements per case (S / F) |',
  );
  out('| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const load of [...new Set(results.map((r) => r.load))]) {
    const a = results.find((r) => r.load === load && r.target === ours);
    const b = results.find((r) => r.load === load && r.target === theirs);
    if (!a || !b) continue;
    out(
      `| ${load} | ${fmt(a.casesPerSecond)} | ${fmt(b.casesPerSecond)} | **${fmt(a.casesPerSecond / b.casesPerSecond)}×** | ` +
        `${fmt(quantile(a.actionMs, 0.5), 0)} / ${fmt(quantile(a.actionMs, 0.99), 0)} | ` +
        `${fmt(quantile(b.actionMs, 0.5), 0)} / ${fmt(quantile(b.actionMs, 0.99), 0)} | ` +
        `${fmt(quantile(a.createMs, 0.5), 0)} / ${fmt(quantile(b.createMs, 0.5), 0)} | ` +
        `${fmt(a.statementsPerCase, 0)} / ${fmt(b.statementsPerCase, 0)} |`,
    );
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
