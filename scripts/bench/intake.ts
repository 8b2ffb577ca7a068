/*
 * npm run bench:intake — intake under a steady arrival rate, open loop (requests are sent on schedule whether or
 * not earlier ones have answered): POST /api/v1/cases at --rate requests/s for --seconds, against plain
 * `client.workflow.start` of a case-shaped workflow at the same rate on the same Temporal server. Prints POST p50/p99
 * against start p50/p99 and their ratio, how many POSTs were deferred (202: stored, started later), how long until
 * every accepted case is dispatched (its sign task open), and the product's memory before and after.
 *
 *   --rate 30  --seconds 60  --drain-timeout 600  --plain-activities 4 (at the plain workflow's start)
 */
import { Client, Connection } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { PlainTemporalTarget } from './plain/plain-target';
import { plainCase } from './plain/workflows';
import { noiseComplaint } from './shaosheng-target';
import { arg, call, fmt, machine, out, quantile, productRssText, sleep, startBenchStack } from './stack';

interface Fired {
  ms: number[];
  statuses: Map<number, number>;
  /** Latencies by answer status. */
  byStatus: Map<number, number[]>;
  errors: number;
  seconds: number;
}

/** Calls `send(k)` for k = 0 … rate × seconds − 1, the k-th at k / rate s after the start; answers the latencies. */
export async function openLoop(rate: number, seconds: number, send: (k: number) => Promise<number>): Promise<Fired> {
  const total = Math.round(rate * seconds);
  const ms: number[] = [];
  const statuses = new Map<number, number>();
  const byStatus = new Map<number, number[]>();
  let errors = 0;
  const started = performance.now();
  const inflight: Promise<void>[] = [];
  for (let k = 0; k < total; k++) {
    const due = started + (k * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    inflight.push(
      (async () => {
        const t = performance.now();
        try {
          const status = await send(k);
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          byStatus.set(status, [...(byStatus.get(status) ?? []), performance.now() - t]);
        } catch {
          errors += 1;
        }
        ms.push(performance.now() - t);
      })(),
    );
  }
  await Promise.all(inflight);
  return { ms, statuses, byStatus, errors, seconds: (performance.now() - started) / 1000 };
}

async function main(): Promise<void> {
  const rate = Number(arg('rate', '30'));
  const seconds = Number(arg('seconds', '60'));
  const drainTimeout = Number(arg('drain-timeout', '600'));
  const atStart = Number(arg('plain-activities', '4'));
  out(`bench:intake — ${machine()}`);
  out(`${rate} requests/s for ${seconds} s, open loop; app: ${process.env.APP_DIR ?? 'this checkout'}`);
  const stack = await startBenchStack();
  const plain = new PlainTemporalTarget(stack.temporalAddress, {
    activitiesAtStart: atStart,
    activitiesPerUpdate: [0, 0, 0, 0, 0],
  });
  const connection = await Connection.connect({ address: stack.temporalAddress });
  const client = new Client({ connection });
  try {
    await plain.start();
    const run = randomUUID().slice(0, 8);
    const starts = await openLoop(rate, seconds, async (k) => {
      await client.workflow.start(plainCase, {
        workflowId: `intake-plain-${run}-${k}`,
        taskQueue: plain.taskQueue,
        args: [plain.input],
      });
      return 201;
    });
    await sleep(5000); // let the plain worker finish its start activities before the product's run
    const rssBefore = productRssText(stack);
    const posts = await openLoop(rate, seconds, async (k) => {
      const answer = await call(stack.api, 'POST', '/api/v1/cases', noiseComplaint(run, k));
      return answer.status;
    });
    const postsEnded = performance.now();
    const accepted = (posts.statuses.get(201) ?? 0) + (posts.statuses.get(202) ?? 0);
    const rssAfterPosts = productRssText(stack);
    out(`posts done; waiting for ${accepted} accepted cases to be dispatched (at most ${drainTimeout} s)`);
    let dispatched = 0;
    const backlog: string[] = [];
    for (;;) {
      const { rows } = await stack.pg.query<{ n: string }>(
        `SELECT count(DISTINCT c.case_no) AS n /* bench */ FROM cases c JOIN tasks t ON t.case_no = c.case_no
          WHERE c.address LIKE $1 AND t.step = 'sign'`,
        [`%湖滨路${run}-%`],
      );
      dispatched = Number(rows[0].n);
      const waited = (performance.now() - postsEnded) / 1000;
      backlog.push(`${fmt(waited, 0)}s:${accepted - dispatched}`);
      if (dispatched >= accepted || waited > drainTimeout) break;
      await sleep(2000);
    }
    const drained = (performance.now() - postsEnded) / 1000;
    const rssEnd = productRssText(stack);

    out();
    out('| figure | POST /api/v1/cases | plain workflow.start | ratio |');
    out('| --- | --- | --- | --- |');
    const p = (values: number[], q: number) => quantile(values, q);
    out(
      `| p50 ms | ${fmt(p(posts.ms, 0.5), 0)} | ${fmt(p(starts.ms, 0.5), 0)} | ${fmt(p(posts.ms, 0.5) / p(starts.ms, 0.5))}× |`,
    );
    out(
      `| p99 ms | ${fmt(p(posts.ms, 0.99), 0)} | ${fmt(p(starts.ms, 0.99), 0)} | **${fmt(p(posts.ms, 0.99) / p(starts.ms, 0.99))}×** |`,
    );
    out(`| max ms | ${fmt(Math.max(...posts.ms), 0)} | ${fmt(Math.max(...starts.ms), 0)} | |`);
    out(`| sent in (target ${seconds} s) | ${fmt(posts.seconds, 1)} s | ${fmt(starts.seconds, 1)} s | |`);
    out();
    const statuses = [...posts.statuses.entries()].map(([status, n]) => `${status}: ${n}`).join(', ');
    out(`POST answers: ${statuses}${posts.errors ? `, ${posts.errors} network errors` : ''}`);
    for (const [status, ms] of posts.byStatus) {
      out(
        `  ${status}: p50 ${fmt(p(ms, 0.5), 0)} ms, p99 ${fmt(p(ms, 0.99), 0)} ms, max ${fmt(Math.max(...ms), 0)} ms`,
      );
    }
    out(`deferred (202): ${posts.statuses.get(202) ?? 0} of ${Math.round(rate * seconds)}`);
    out(
      `dispatched: ${dispatched} of ${accepted} accepted, ${fmt(drained, 0)} s after the last POST answered` +
        (dispatched < accepted ? ' (NOT ALL: drain timeout)' : ''),
    );
    const every = Math.max(1, Math.ceil(backlog.length / 20));
    const shown = backlog.filter((_, k) => k % every === 0 || k === backlog.length - 1);
    out(`backlog after the last POST (s:undispatched): ${shown.join(' ')}`);
    out(`product RSS: ${rssBefore} before; ${rssAfterPosts} after the POSTs; ${rssEnd} once drained`);
    out(`end: ${machine()}`);
  } finally {
    await plain.stop().catch(() => undefined);
    await connection.close().catch(() => undefined);
    await stack.stop();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
