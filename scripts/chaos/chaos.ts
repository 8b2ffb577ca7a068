import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CheckReport, checkRun } from './checks';
import { ApiClient, RequestCounters, RouteStats, runJourney, seededRandom, sleep, SubmissionRecord } from './load';
import { ChaosStack, FAULT_TARGETS, FaultTarget } from './stack';

/** What a fault-injection run does; every field has a default (see {@link chaosOptions}). */
export interface ChaosOptions {
  /** Seconds of load and faults. */
  durationSeconds: number;
  /** New submissions per second. */
  rate: number;
  /** Mean seconds between the end of one fault and the next kill (each wait drawn from 0.5× to 1.5×). */
  killIntervalSeconds: number;
  /** Longest a killed process stays down before it is started again, in seconds (drawn from 1 s up). */
  maxDownSeconds: number;
  /** Seeds every random draw: the order of kills, the waits, how far each case goes. */
  seed: number;
  /** How long clients keep retrying after the faults stop, in seconds. */
  drainSeconds: number;
  /** How long the projection may take to converge after the last restart, in seconds. */
  convergeTimeoutSeconds: number;
  /** Where the compiled product lives (`.cache/chaos`). */
  compiledRoot: string;
  /** Keep the run's folder (data and logs) even when every check passed. */
  keep: boolean;
  log: (message: string) => void;
}

/** One kill and restart. */
export interface FaultRecord {
  target: FaultTarget;
  /** Seconds since the start of the load. */
  killedAt: number;
  downSeconds: number;
  /** Seconds from the restart command until the process served again. */
  restartSeconds: number;
}

/** Latency percentiles of answered requests, in ms. */
export interface Percentiles {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

function percentiles(values: number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { p50Ms: at(0.5), p99Ms: at(0.99), maxMs: sorted.at(-1) ?? 0 };
}

/** Everything a run measured. */
export interface ChaosReport {
  options: Omit<ChaosOptions, 'log' | 'compiledRoot' | 'keep'>;
  runDir: string;
  submitted: number;
  accepted: number;
  rejected: number;
  /** Submissions that got no 2xx before the clients gave up. */
  unanswered: number;
  actionsAttempted: number;
  faults: FaultRecord[];
  /** Seconds from the last restart until every client had its last answer (or gave up); convergence includes them. */
  clientsDoneSeconds: number;
  /** Restarts by the supervisor of processes that exited on their own, by process. */
  crashRestarts: Record<string, number>;
  requests: Omit<RequestCounters, 'latencies' | 'byRoute'> &
    Percentiles & {
      byRoute: Record<string, Omit<RouteStats, 'latencies' | 'timeoutsAt'> & Percentiles & { timeoutsAt: number[] }>;
    };
  checks: CheckReport;
  ok: boolean;
}

/**
 * Starts the stack as separate processes, submits cases and drives their actions at `rate` for `durationSeconds`
 * with client retries under the same Idempotency-Key, while killing the worker, Temporal and PostgreSQL (each at
 * least once, in a seeded order, one at a time; SIGKILL to the process group, restart on the same port and data),
 * then lets the clients finish and checks the outcome ({@link checkRun}).
 */
export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const { log } = options;
  const random = seededRandom(options.seed);
  // Under /tmp, traversable by the `postgres` OS user (which runs the server when we run as root).
  const runDir = mkdtempSync(join('/tmp', 'shaosheng-chaos-'));
  chmodSync(runDir, 0o755);
  log(`run folder ${runDir} (data and process logs)`);
  const stack = await ChaosStack.start({ runDir, compiledRoot: options.compiledRoot, note: log });
  let report: ChaosReport | undefined;
  try {
    log(`stack up: API ${stack.apiUrl}, Temporal ${stack.temporalAddress}`);
    const client = new ApiClient(stack.apiUrl, 15_000);
    const tokens = {
      street: await client.login('handler.s-hubin', Date.now() + 60_000),
      operator: await client.login('operator', Date.now() + 60_000),
    };
    const runId = options.seed.toString(36);
    const started = Date.now();
    const loadEnd = started + options.durationSeconds * 1000;
    const retryUntil = loadEnd + options.drainSeconds * 1000;

    const journeys: Promise<SubmissionRecord>[] = [];
    const loadDone = (async () => {
      for (let index = 0; Date.now() < loadEnd; index += 1) {
        journeys.push(runJourney(index, { client, tokens, random, actionsUntil: loadEnd, retryUntil, runId }));
        await sleep((1000 / options.rate) * (0.5 + random()));
      }
    })();

    const faults: FaultRecord[] = [];
    let lastRestartAt = started;
    const order = shuffled([...FAULT_TARGETS], random);
    // Kill until the load ends, and at least once each.
    while (Date.now() < loadEnd || order.length > 0) {
      await sleep(options.killIntervalSeconds * 1000 * (0.5 + random()));
      if (Date.now() >= loadEnd && order.length === 0) break;
      const target = order.shift() ?? FAULT_TARGETS[Math.floor(random() * FAULT_TARGETS.length)];
      const downMs = 1000 + random() * Math.max(0, options.maxDownSeconds - 1) * 1000;
      const killedAt = (Date.now() - started) / 1000;
      log(`fault: SIGKILL ${target} at ${killedAt.toFixed(1)} s, down for ${(downMs / 1000).toFixed(1)} s`);
      await stack.processes[target].kill();
      await sleep(downMs);
      const restartedAt = Date.now();
      await stack.processes[target].start();
      lastRestartAt = Date.now();
      const restartSeconds = (lastRestartAt - restartedAt) / 1000;
      log(`fault: ${target} serving again after ${restartSeconds.toFixed(1)} s`);
      faults.push({ target, killedAt, downSeconds: downMs / 1000, restartSeconds });
    }
    await loadDone;
    log('faults over; waiting for the clients to finish');
    const submissions = await Promise.all(journeys);
    // A process the supervisor restarted on its own may still be coming up.
    await stack.waitReady(120_000).catch((error: unknown) => log(`after the faults: ${(error as Error).message}`));
    for (const process of Object.values(stack.processes)) {
      lastRestartAt = Math.max(lastRestartAt, process.lastStartedAt ?? 0);
    }

    const clientsDoneSeconds = (Date.now() - lastRestartAt) / 1000;
    log(`checking ${submissions.filter((s) => s.accepted).length} accepted submission(s)`);
    const checks = await checkRun({
      databaseUrl: stack.databaseUrl,
      temporalAddress: stack.temporalAddress,
      namespace: stack.namespace,
      taskQueue: stack.taskQueue,
      submissions,
      lastRestartAt,
      convergeTimeoutMs: options.convergeTimeoutSeconds * 1000,
      log,
    });
    const { latencies, byRoute, ...counters } = client.counters;
    const { log: _log, compiledRoot: _compiledRoot, keep: _keep, ...shown } = options;
    report = {
      options: shown,
      runDir,
      submitted: submissions.length,
      accepted: submissions.filter((s) => s.accepted).length,
      rejected: submissions.filter((s) => s.rejected).length,
      unanswered: submissions.filter((s) => !s.accepted && !s.rejected).length,
      actionsAttempted: submissions.reduce((n, s) => n + s.actions.length, 0),
      faults,
      clientsDoneSeconds,
      crashRestarts: Object.fromEntries(Object.entries(stack.processes).map(([name, p]) => [name, p.crashRestarts])),
      requests: {
        ...counters,
        ...percentiles(latencies),
        byRoute: Object.fromEntries(
          Object.entries(byRoute).map(([route, stats]) => [
            route,
            {
              requests: stats.requests,
              answers: stats.answers,
              samples: stats.samples,
              ...percentiles(stats.latencies),
              // Seconds since the load started, comparable with the faults' `killedAt`.
              timeoutsAt: stats.timeoutsAt.map((at) => Math.round((at - started) / 100) / 10),
            },
          ]),
        ),
      },
      checks,
      ok: checks.failures.length === 0,
    };
    return report;
  } finally {
    await stack.stop();
    if (report?.ok && !options.keep) rmSync(runDir, { recursive: true, force: true });
  }
}

/** `[3.1, 3.4, 9]` → `3.1-3.4, 9`: runs of instants less than 2 s apart, as ranges. */
function timeline(instants: number[]): string {
  const sorted = [...instants].sort((a, b) => a - b);
  const runs: [number, number][] = [];
  for (const at of sorted) {
    const last = runs.at(-1);
    if (last && at - last[1] < 2) last[1] = at;
    else runs.push([at, at]);
  }
  return runs.map(([from, to]) => (from === to ? `${from}` : `${from}-${to}`)).join(', ');
}

function shuffled<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/** The report as the lines `npm run chaos` prints. */
export function formatReport(report: ChaosReport): string {
  const { checks } = report;
  const kills = FAULT_TARGETS.map((t) => `${t} ×${report.faults.filter((f) => f.target === t).length}`).join(', ');
  const lines = [
    `fault-injection run: ${report.options.durationSeconds} s at ${report.options.rate}/s, a kill every ` +
      `~${report.options.killIntervalSeconds} s, seed ${report.options.seed}`,
    `  faults         ${report.faults.map((f) => `${f.target} at ${f.killedAt.toFixed(1)} s (down ${f.downSeconds.toFixed(1)} s, serving ${f.restartSeconds.toFixed(1)} s after restart)`).join('; ')}`,
    `  kills          ${kills}; supervisor restarts after a crash: ${JSON.stringify(report.crashRestarts)}`,
    `  submitted      ${report.submitted}`,
    `  accepted       ${report.accepted} (2xx), rejected ${report.rejected}, unanswered ${report.unanswered}` +
      ` (of which stored anyway: ${checks.storedUnanswered})`,
    `  lost           ${checks.lost}`,
    `  duplicated     ${checks.duplicated}`,
    `  stuck          ${checks.stuck}`,
    `  converged-in   ${checks.convergedInSeconds === null ? 'never' : `${checks.convergedInSeconds.toFixed(1)} s`}` +
      ` after the last restart (the clients were done after ${report.clientsDoneSeconds.toFixed(1)} s)`,
    `  actions        ${report.actionsAttempted} attempted: ${checks.actions.ok} 2xx (${checks.actions.replayed}` +
      ` replayed), ${checks.actions.refused} refused, ${checks.actions.gaveUp} unanswered;` +
      ` applied without a 2xx ${checks.actions.appliedWithoutAnswer}`,
    `  history        ${checks.actions.historyMismatch} 2xx action(s) not accepted exactly once`,
    `  case events    ${checks.actions.eventMismatch} 2xx action(s) without exactly one event`,
    `  requests       ${report.requests.requests} (${report.requests.retries} retries, ${report.requests.waits}` +
      ` waits for dispatch): ${report.requests.timeouts} timeouts (client bound 15 s),` +
      ` ${report.requests.networkErrors} refused connections, ${report.requests.status5xx} 5xx` +
      ` (${report.requests.status503} 503); p50 ${report.requests.p50Ms} ms, p99 ${report.requests.p99Ms} ms,` +
      ` max ${report.requests.maxMs} ms`,
    ...Object.entries(report.requests.byRoute).map(
      ([route, stats]) =>
        `    ${route.padEnd(12)} ${String(stats.requests).padStart(5)}: ` +
        Object.entries(stats.answers)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([answer, n]) => `${answer}×${n}`)
          .join(' ') +
        `; p50 ${stats.p50Ms} ms, p99 ${stats.p99Ms} ms, max ${stats.maxMs} ms` +
        (stats.timeoutsAt.length ? `; no answer in 15 s for requests sent at ${timeline(stats.timeoutsAt)} s` : ''),
    ),
    `  audit chain    ${checks.audit.ok ? 'verifies' : 'BROKEN'} (${checks.audit.checked} rows)`,
    `  consistency    ${checks.consistency.ok ? 'no drift' : `${checks.consistency.drift.length} drift(s)`}` +
      ` (${checks.consistency.checkedCases} cases)`,
    report.ok ? 'PASSED' : `FAILED:\n${checks.failures.map((f) => `  - ${f}`).join('\n')}`,
  ];
  if (checks.problems.length) {
    lines.push('cases not where expected:');
    for (const p of checks.problems.slice(0, 20)) {
      lines.push(`  ${p.caseNo ?? p.key}: ${p.verdict} (${p.reason}; expected ${p.expectedPhase ?? '?'})`);
    }
  }
  if (!report.ok) lines.push(`data and process logs kept in ${report.runDir}`);
  return lines.join('\n');
}
