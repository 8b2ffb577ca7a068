/*
 * npm run bench:lifecycle — cases through create → sign → contact → reply → review → call-back → closed, Shaosheng
 * over HTTP against a plain Temporal workflow with the same five Updates and the same number of activities, side by
 * side on one Temporal dev server, at two concurrency loads. Prints cases/s of both and their ratio, action latency
 * p50/p99 against a plain Update's, and per case: history events, activities, workflow tasks, search-attribute
 * upserts (from the workflow histories) and SQL statements (pg_stat_statements). Figures, never assertions.
 *
 *   --loads 1,4         concurrent cases (one driver loop each)
 *   --cases 24          cases per target and load (default: 8 per concurrent case, at least 12)
 *   --sqlite wal        or `rollback` (SQLite's defaults) for the dev server's file
 *   --plain-activities auto   activities of the plain case: `auto` = as many as a Shaosheng case ran in this run's
 *                             warm-up, spread like them (start, then per Update); or a number
 *   --targets shaosheng,plain  (a target module scripts/bench/<name>-target.ts can be added)
 *   APP_DIR=<checkout>  run that checkout's dist/ (e.g. a clean worktree of a commit)
 */
import { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { PlainTemporalTarget } from './plain/plain-target';
import { ShaoshengTarget } from './shaosheng-target';
import {
  arg,
  BenchStack,
  cpuBetween,
  CpuSample,
  cpuSample,
  fmt,
  machine,
  out,
  productRssText,
  rssMiB,
  quantile,
  resetStatements,
  startBenchStack,
  statementsSinceReset,
  topLevelStatementsSinceReset,
  topStatements,
} from './stack';
import { LIFECYCLE_STEPS, LifecycleTarget } from './target';

const EventType = temporal.api.enums.v1.EventType;

interface LoadResult {
  target: string;
  load: number;
  cases: number;
  seconds: number;
  casesPerSecond: number;
  createMs: number[];
  actionMs: number[];
  failures: number;
  ids: string[];
  statements?: number;
  /** Statements the product sent (top level), per case. */
  sentStatements?: number;
  /** CPU seconds by part of the stack while this load ran. */
  cpu?: CpuSample;
}

/** Runs `cases` cases through the target with `load` of them in flight at once. */
export async function drive(target: LifecycleTarget, load: number, cases: number, offset: number): Promise<LoadResult> {
  const createMs: number[] = [];
  const actionMs: number[] = [];
  const ids: string[] = [];
  let next = 0;
  let failures = 0;
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
        ids.push(id);
      } catch (error) {
        failures += 1;
        process.stderr.write(`${target.name} case ${i}: ${error instanceof Error ? error.message : String(error)}\n`);
      }
    }
  };
  await Promise.all(Array.from({ length: load }, loop));
  const seconds = (performance.now() - started) / 1000;
  return {
    target: target.name,
    load,
    cases: ids.length,
    seconds,
    casesPerSecond: ids.length / seconds,
    createMs,
    actionMs,
    failures,
    ids,
  };
}

export interface HistoryCounts {
  events: number;
  activities: number;
  localActivities: number;
  workflowTasks: number;
  upserts: number;
  children: number;
  /** Size of the encoded history, bytes. */
  bytes: number;
  /** Activities scheduled before the first Update was accepted, then per accepted Update (in order). */
  activitiesBeforeUpdates: number;
  activitiesPerUpdate: number[];
}

/** Counts a workflow's history and those of its children. */
export async function countHistory(client: Client, workflowId: string): Promise<HistoryCounts> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const counts: HistoryCounts = {
    events: 0,
    activities: 0,
    localActivities: 0,
    workflowTasks: 0,
    upserts: 0,
    children: 0,
    bytes: temporal.api.history.v1.History.encode(history).finish().length,
    activitiesBeforeUpdates: 0,
    activitiesPerUpdate: [],
  };
  for (const event of history.events ?? []) {
    counts.events += 1;
    switch (event.eventType) {
      case EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
        counts.activities += 1;
        if (counts.activitiesPerUpdate.length === 0) counts.activitiesBeforeUpdates += 1;
        else counts.activitiesPerUpdate[counts.activitiesPerUpdate.length - 1] += 1;
        break;
      case EventType.EVENT_TYPE_MARKER_RECORDED:
        counts.localActivities += 1;
        break;
      case EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
        counts.workflowTasks += 1;
        break;
      case EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES:
        counts.upserts += 1;
        break;
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED:
        counts.activitiesPerUpdate.push(0);
        break;
      case EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED:
        counts.children += 1;
        break;
    }
  }
  return counts;
}

/** Bytes of a workflow's history by event type (--history-sizes): what makes a history large. */
async function printHistorySizes(client: Client, workflowId: string): Promise<void> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const byType = new Map<string, { count: number; bytes: number }>();
  for (const event of history.events ?? []) {
    const type = EventType[event.eventType ?? 0] ?? String(event.eventType);
    const entry = byType.get(type) ?? { count: 0, bytes: 0 };
    entry.count += 1;
    entry.bytes += temporal.api.history.v1.HistoryEvent.encode(event).finish().length;
    byType.set(type, entry);
  }
  out(`history of ${workflowId}, bytes by event type:`);
  for (const [type, { count, bytes }] of [...byType].sort((a, b) => b[1].bytes - a[1].bytes)) {
    out(
      `  ${type.replace('EVENT_TYPE_', '').padEnd(44)} ${String(count).padStart(3)} × ${fmt(bytes / count, 0)} = ${bytes}`,
    );
  }
}

/** Mean counts over a sample of the cases. */
export async function meanCounts(client: Client, ids: string[], sample = 12): Promise<HistoryCounts> {
  const picked = ids.slice(0, sample);
  const all = await Promise.all(picked.map((id) => countHistory(client, id)));
  const mean = (pick: (c: HistoryCounts) => number) => all.reduce((sum, c) => sum + pick(c), 0) / all.length;
  return {
    events: mean((c) => c.events),
    activities: mean((c) => c.activities),
    localActivities: mean((c) => c.localActivities),
    workflowTasks: mean((c) => c.workflowTasks),
    upserts: mean((c) => c.upserts),
    children: mean((c) => c.children),
    bytes: mean((c) => c.bytes),
    activitiesBeforeUpdates: mean((c) => c.activitiesBeforeUpdates),
    activitiesPerUpdate: [0, 1, 2, 3, 4].map((k) => mean((c) => c.activitiesPerUpdate[k] ?? 0)),
  };
}

async function main(): Promise<void> {
  const loads = arg('loads', '1,4')
    .split(',')
    .map(Number)
    .filter((n) => n > 0);
  const casesArg = arg('cases', '');
  const sqlite = arg('sqlite', 'wal') === 'rollback' ? 'rollback' : 'wal';
  const plainActivities = arg('plain-activities', 'auto');
  out(`bench:lifecycle — ${machine()}`);
  out(
    `loads ${loads.join(', ')}; Temporal dev server SQLite: ${sqlite}; app: ${process.env.APP_DIR ?? 'this checkout'}`,
  );

  const stack: BenchStack = await startBenchStack({ sqlite });
  const shaosheng = new ShaoshengTarget(stack);
  let plain: PlainTemporalTarget | undefined;
  const client = new Client({
    connection: await (await import('@temporalio/client')).Connection.connect({ address: stack.temporalAddress }),
  });
  try {
    await shaosheng.start();
    // Warm-up: two cases each (JIT, caches, connection pools), and the shape of a Shaosheng case's activities.
    const warm = await drive(shaosheng, 1, 2, 0);
    if (warm.cases === 0) throw new Error('the warm-up case did not complete');
    const shape = await meanCounts(client, warm.ids.map(workflowIdOf));
    if (process.argv.includes('--history-sizes')) await printHistorySizes(client, workflowIdOf(warm.ids[0]));
    const plainShape =
      plainActivities === 'auto'
        ? {
            activitiesAtStart: Math.round(shape.activitiesBeforeUpdates),
            activitiesPerUpdate: shape.activitiesPerUpdate.map(Math.round),
          }
        : spread(Number(plainActivities));
    out(
      `plain case: ${plainShape.activitiesAtStart} activities at start, then ${plainShape.activitiesPerUpdate.join(
        ' / ',
      )} per Update (${plainShape.activitiesAtStart + plainShape.activitiesPerUpdate.reduce((a, b) => a + b, 0)})`,
    );
    plain = new PlainTemporalTarget(stack.temporalAddress, plainShape);
    await plain.start();
    await drive(plain, 1, 2, 0);

    const results: LoadResult[] = [];
    let offset = 100;
    for (const load of loads) {
      const cases = casesArg ? Number(casesArg) : Math.max(12, 8 * load);
      for (const target of [shaosheng, plain] as LifecycleTarget[]) {
        if (target === shaosheng) await resetStatements(stack.pg);
        const before = cpuSample(stack, plain.worker?.pid);
        const result = await drive(target, load, cases, offset);
        result.cpu = cpuBetween(before, cpuSample(stack, plain.worker?.pid));
        if (target === shaosheng) {
          result.statements = (await statementsSinceReset(stack.pg)) / result.cases;
          result.sentStatements = (await topLevelStatementsSinceReset(stack.pg)) / result.cases;
          if (process.argv.includes('--statements')) {
            for (const s of await topStatements(stack.pg))
              out(`    ${fmt(s.calls / result.cases, 1)}/case ${fmt(s.ms, 0)} ms  ${s.query}`);
          }
        }
        offset += cases;
        results.push(result);
        out(
          `  ${target.name.padEnd(15)} load ${load}: ${result.cases} cases in ${fmt(result.seconds, 1)} s = ` +
            `${fmt(result.casesPerSecond)} cases/s (action p50 ${fmt(quantile(result.actionMs, 0.5), 0)} ms)` +
            (result.failures ? `, ${result.failures} FAILED` : ''),
        );
      }
    }

    const shaoshengCounts = await meanCounts(
      client,
      results.filter((r) => r.target === shaosheng.name).flatMap((r) => r.ids.map(workflowIdOf)),
    );
    const plainCounts = await meanCounts(
      client,
      results.filter((r) => r.target === plain!.name).flatMap((r) => r.ids),
    );
    report(results, shaosheng.name, plain.name, shaoshengCounts, plainCounts);
    out(`Shaosheng actions retried after 409 WrongState (the case not yet caught up): ${shaosheng.retries}`);
    out(`RSS: product ${productRssText(stack)}, plain worker ${fmt(rssMiB(plain.worker?.pid), 0)} MiB`);
    out(`end: ${machine()}`);
  } finally {
    await plain?.stop().catch(() => undefined);
    await client.connection.close().catch(() => undefined);
    await stack.stop();
  }
}

export const workflowIdOf = (caseNo: string) => `case-${caseNo}`;

/** `total` activities spread like a case: the remainder at start, an equal share per Update. */
function spread(total: number) {
  const per = Math.floor(total / 6);
  return { activitiesAtStart: total - 5 * per, activitiesPerUpdate: [per, per, per, per, per] };
}

function report(
  results: LoadResult[],
  ours: string,
  theirs: string,
  oursCounts: HistoryCounts,
  theirsCounts: HistoryCounts,
): void {
  out();
  out(
    '| load | Shaosheng cases/s | plain cases/s | ratio | Shaosheng action p50 / p99 ms | plain Update p50 / p99 ms | p50 ratio | create p50 ms (S / plain) |',
  );
  out('| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const load of [...new Set(results.map((r) => r.load))]) {
    const a = results.find((r) => r.load === load && r.target === ours)!;
    const b = results.find((r) => r.load === load && r.target === theirs)!;
    out(
      `| ${load} | ${fmt(a.casesPerSecond)} | ${fmt(b.casesPerSecond)} | **${fmt(a.casesPerSecond / b.casesPerSecond)}×** | ` +
        `${fmt(quantile(a.actionMs, 0.5), 0)} / ${fmt(quantile(a.actionMs, 0.99), 0)} | ` +
        `${fmt(quantile(b.actionMs, 0.5), 0)} / ${fmt(quantile(b.actionMs, 0.99), 0)} | ` +
        `${fmt(quantile(a.actionMs, 0.5) / quantile(b.actionMs, 0.5))}× | ` +
        `${fmt(quantile(a.createMs, 0.5), 0)} / ${fmt(quantile(b.createMs, 0.5), 0)} |`,
    );
  }
  const statements = results.filter((r) => r.target === ours && r.statements !== undefined);
  const perCase =
    statements.reduce((sum, r) => sum + (r.statements ?? 0) * r.cases, 0) /
    Math.max(
      1,
      statements.reduce((sum, r) => sum + r.cases, 0),
    );
  out();
  out('| per case | Shaosheng | plain Temporal |');
  out('| --- | --- | --- |');
  const row = (label: string, pick: (c: HistoryCounts) => number, digits = 1) =>
    out(`| ${label} | ${fmt(pick(oursCounts), digits)} | ${fmt(pick(theirsCounts), digits)} |`);
  row('history events', (c) => c.events);
  row('activities', (c) => c.activities);
  row('local activities (markers)', (c) => c.localActivities);
  row('workflow tasks', (c) => c.workflowTasks);
  row('search-attribute upserts', (c) => c.upserts);
  row('child workflows', (c) => c.children);
  row('history size, KiB', (c) => c.bytes / 1024);
  out(`| SQL statements (pg_stat_statements, incl. background polling) | ${fmt(perCase, 0)} | — |`);
  const sent = statements.reduce((sum, r) => sum + (r.sentStatements ?? 0) * r.cases, 0);
  const counted = Math.max(
    1,
    statements.reduce((sum, r) => sum + r.cases, 0),
  );
  out(`| of which sent by the product (not run inside triggers and functions) | ${fmt(sent / counted, 0)} | — |`);
  out();
  out('CPU per case, ms (from /proc; both targets share the Temporal server and PostgreSQL, each ran alone in turn)');
  out();
  out('| target | load | Temporal server | PostgreSQL | product (API + worker) | plain worker | driver | total |');
  out('| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of results) {
    if (!r.cpu || r.cases === 0) continue;
    const ms = (seconds: number) => fmt((seconds * 1000) / r.cases, 0);
    const c = r.cpu;
    const total = c.temporal + c.postgres + c.product + c.plainWorker + c.driver;
    out(
      `| ${r.target} | ${r.load} | ${ms(c.temporal)} | ${ms(c.postgres)} | ${ms(c.product)} | ${ms(c.plainWorker)} | ` +
        `${ms(c.driver)} | ${ms(total)} |`,
    );
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
