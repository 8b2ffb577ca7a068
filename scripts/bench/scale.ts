/*
 * npm run bench:scale — many open cases with their timers on the embedded stack: submits --cases (default 20,000)
 * cases (at most --concurrency POSTs in flight) and waits until each is dispatched and waiting for its street to sign
 * (its sign deadline, reminders and the handling deadline pending as timers); then times the inbox of the unit that
 * holds them all (GET /api/v1/tasks as handler.s-hubin, the worst case: every task in one unit) and prints its
 * p50/p99, the product's memory, and the Temporal SQLite file's size per open case.
 *
 *   --cases 20000  --concurrency 8  --runs 200 (inbox requests)
 */
import { Client, Connection } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { noiseComplaint } from './shaosheng-target';
import {
  arg,
  call,
  fmt,
  login,
  machine,
  out,
  quantile,
  productRssText,
  sleep,
  startBenchStack,
  temporalDbMiB,
} from './stack';

async function main(): Promise<void> {
  const cases = Number(arg('cases', '20000'));
  const concurrency = Number(arg('concurrency', '8'));
  const runs = Number(arg('runs', '200'));
  out(`bench:scale — ${machine()}`);
  out(`${cases} open cases, ${concurrency} POSTs in flight; app: ${process.env.APP_DIR ?? 'this checkout'}`);
  const stack = await startBenchStack();
  const connection = await Connection.connect({ address: stack.temporalAddress });
  const client = new Client({ connection });
  try {
    const run = randomUUID().slice(0, 8);
    const dbBefore = temporalDbMiB(stack.temporalDbFile);
    const rssBefore = productRssText(stack);
    const started = performance.now();
    let next = 0;
    let failed = 0;
    const submit = async () => {
      while (next < cases) {
        const i = next++;
        const answer = await call(stack.api, 'POST', '/api/v1/cases', noiseComplaint(run, i));
        if (answer.status !== 201 && answer.status !== 202) failed += 1;
        if (i > 0 && i % 1000 === 0)
          out(`  ${i} submitted in ${fmt((performance.now() - started) / 1000, 0)} s, RSS ${productRssText(stack)}`);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, submit));
    let open = 0;
    for (;;) {
      const { rows } = await stack.pg.query<{ n: string }>(
        `SELECT count(*) AS n /* bench */ FROM tasks WHERE step = 'sign' AND status <> 'closed'`,
      );
      open = Number(rows[0].n);
      if (open >= cases - failed || (performance.now() - started) / 1000 > 6 * 3600) break;
      await sleep(2000);
    }
    const loadSeconds = (performance.now() - started) / 1000;
    const running = await client.workflow.count('ExecutionStatus="Running"');
    const rssLoaded = productRssText(stack);
    const dbAfter = temporalDbMiB(stack.temporalDbFile);

    const token = await login(stack.api, 'handler.s-hubin');
    const times: number[] = [];
    for (let k = 0; k < runs + 20; k++) {
      const t = performance.now();
      const answer = await call(stack.api, 'GET', '/api/v1/tasks', undefined, token);
      if (answer.status !== 200) throw new Error(`GET /api/v1/tasks: ${answer.status} ${JSON.stringify(answer.body)}`);
      if (k >= 20) times.push(performance.now() - t); // the first 20 warm up
    }
    const counts = (await call(stack.api, 'GET', '/api/v1/tasks', undefined, token)).body.counts;

    out();
    out('| figure | value |');
    out('| --- | --- |');
    out(`| open cases (sign task open) | ${open} (${failed} POSTs failed); running workflows ${running.count} |`);
    out(`| time to submit and dispatch them | ${fmt(loadSeconds, 0)} s (${fmt(open / loadSeconds, 1)} cases/s) |`);
    out(
      `| inbox GET /api/v1/tasks (handler.s-hubin) p50 / p99 / max | ${fmt(quantile(times, 0.5), 1)} / **${fmt(quantile(times, 0.99), 1)}** / ${fmt(Math.max(...times), 1)} ms over ${runs} requests |`,
    );
    out(`| inbox badge counts | ${JSON.stringify(counts)} |`);
    out(`| product RSS | ${rssBefore} empty → ${rssLoaded} loaded |`);
    out(
      `| Temporal SQLite file (+WAL) | ${fmt(dbBefore, 1)} → ${fmt(dbAfter, 1)} MiB = ${fmt(((dbAfter - dbBefore) * 1024) / Math.max(1, open), 1)} KiB per open case |`,
    );
    out(`end: ${machine()}`);
  } finally {
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
