/*
 * Intake probe: POST /api/v1/cases at a fixed rate against the product (worker and API in one process, as npm start
 * runs them), beside a plain `client.workflow.start` at the same rate on the same Temporal dev server, then waits
 * until every accepted case's workflow has started and the case is dispatched. Prints latency quantiles, the answer
 * statuses, how long the backlog took to drain and the product's resident memory over the run.
 *
 *   sh scripts/intake-probe/run.sh [--rate 30] [--seconds 60] [--drain 300] [--order plain-first|together]
 *     [--env KEY=VALUE,...]
 *
 * `together` sends both streams at the same time (each at --rate), so both see the same loaded machine.
 */
import { Client, Connection } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import {
  arg,
  BenchStack,
  fmt,
  login,
  machine,
  quantile,
  resetStatements,
  rssMiB,
  sleep,
  startBenchStack,
} from '../bench/stack';

const out = (line = ''): void => void process.stdout.write(`${line}\n`);

interface Shot {
  ms: number;
  status: number | string;
}

/** Fires `fire(i)` `rate` times a second for `seconds`, open loop (never waiting for earlier shots). */
async function openLoop(rate: number, seconds: number, fire: (i: number) => Promise<number | string>): Promise<Shot[]> {
  const shots: Promise<Shot>[] = [];
  const t0 = Date.now();
  const total = Math.round(rate * seconds);
  for (let i = 0; i < total; i += 1) {
    const due = t0 + (i * 1000) / rate;
    const wait = due - Date.now();
    if (wait > 0) await sleep(wait);
    const sent = Date.now();
    shots.push(
      fire(i).then(
        (status) => ({ ms: Date.now() - sent, status }),
        (error: unknown) => ({ ms: Date.now() - sent, status: `error ${String(error).slice(0, 80)}` }),
      ),
    );
  }
  return Promise.all(shots);
}

function summary(name: string, shots: Shot[]): { p50: number; p99: number } {
  const ms = shots.map((shot) => shot.ms);
  const statuses = new Map<string, number>();
  for (const shot of shots) statuses.set(String(shot.status), (statuses.get(String(shot.status)) ?? 0) + 1);
  const p50 = quantile(ms, 0.5);
  const p99 = quantile(ms, 0.99);
  out(
    `${name}: n=${shots.length} p50 ${fmt(p50, 0)} ms, p90 ${fmt(quantile(ms, 0.9), 0)} ms, p99 ${fmt(p99, 0)} ms, ` +
      `max ${fmt(Math.max(...ms), 0)} ms; answers ${[...statuses].map(([s, n]) => `${s}×${n}`).join(' ')}`,
  );
  return { p50, p99 };
}

function body(run: string, i: number) {
  return {
    kind: 'complaint',
    category: 'noise-nuisance',
    channel: 'hotline',
    description: '楼下商铺夜间噪声扰民',
    address: `示范市东湖区湖滨路${run}-${i}号`,
    citizen: { name: '李女士', phone: '13900001111' },
    place: { communityId: 'c-xiyuan', streetId: 's-hubin', districtId: 'd-donghu' },
  };
}

async function main(): Promise<void> {
  const rate = Number(arg('rate', '30'));
  const seconds = Number(arg('seconds', '60'));
  const drainSeconds = Number(arg('drain', '300'));
  const order = arg('order', 'plain-first');
  const env = Object.fromEntries(
    arg('env', '')
      .split(',')
      .filter(Boolean)
      .map((pair) => pair.split('=') as [string, string]),
  );
  out(`intake probe: ${rate} requests/s for ${seconds} s, order ${order}, env ${JSON.stringify(env)}`);
  out(machine());
  const stack: BenchStack = await startBenchStack({ env });
  const connection = await Connection.connect({ address: stack.temporalAddress });
  try {
    const client = new Client({ connection, namespace: stack.namespace });
    const token = await login(stack.api, 'operator');
    const run = randomUUID().slice(0, 8);
    const plain = () =>
      openLoop(rate, seconds, async (i) => {
        await client.workflow.start('plainIntakeProbe', {
          workflowId: `probe-${run}-${i}`,
          taskQueue: `intake-probe-${run}`,
          args: [body(run, i)],
        });
        return 'started';
      });
    const post = () =>
      openLoop(rate, seconds, async (i) => {
        const response = await fetch(`${stack.api}/api/v1/cases`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${token}`,
            'idempotency-key': `${run}-${i}`,
          },
          body: JSON.stringify(body(run, i)),
        });
        await response.arrayBuffer();
        return response.status;
      });
    // Warm up both paths (connections, caches) outside the measured run.
    await client.workflow.start('plainIntakeProbe', {
      workflowId: `probe-${run}-warm`,
      taskQueue: `intake-probe-${run}`,
      args: [{}],
    });
    await fetch(`${stack.api}/api/v1/cases`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body(run, -1)),
    });

    // /health beside the POSTs: when it is as slow as they are, the time goes to the process, not to intake.
    const health: Record<'plain' | 'post', Shot[]> = { plain: [], post: [] };
    let phase: 'plain' | 'post' = order === 'together' ? 'post' : 'plain';
    let probing = true;
    const healthProbe = (async () => {
      while (probing) {
        const sent = Date.now();
        const status = await fetch(`${stack.api}/health`).then(
          (response) => response.status,
          () => 'error',
        );
        health[phase].push({ ms: Date.now() - sent, status });
        await sleep(500);
      }
    })();
    const rss: number[] = [];
    const rssBefore = rssMiB(stack.app?.pid);
    const sampler = setInterval(() => rss.push(rssMiB(stack.app?.pid)), 1000);
    let plainShots: Shot[];
    let postShots: Shot[];
    const t0 = Date.now();
    if (order === 'together') {
      [plainShots, postShots] = await Promise.all([plain(), post()]);
    } else {
      plainShots = await plain();
      phase = 'post';
      out(machine());
      await resetStatements(stack.pg);
      postShots = await post();
    }
    const postsDone = Date.now();
    probing = false;
    await healthProbe;
    out(machine());
    const p = summary('plain workflow.start', plainShots);
    const s = summary('POST /api/v1/cases ', postShots);
    if (health.plain.length > 0) summary('GET /health during the plain starts', health.plain);
    summary('GET /health during the POSTs', health.post);
    out(`ratio POST p99 / plain p99: ${fmt(s.p99 / p.p99)}; p50: ${fmt(s.p50 / p.p50)}`);
    // Where the product's database time went during the POSTs (the worker's statements included).
    const { rows: top } = await stack.pg.query<{ query: string; calls: string; mean: number; total: number }>(
      `SELECT left(regexp_replace(query, '\\s+', ' ', 'g'), 90) AS query, calls, mean_exec_time AS mean,
              total_exec_time AS total /* bench */
         FROM pg_stat_statements WHERE query NOT LIKE '%bench%' ORDER BY total_exec_time DESC LIMIT 10`,
    );
    out('top statements by total time during the POSTs (calls, mean ms, total s):');
    for (const row of top) out(`  ${row.calls}\t${fmt(row.mean, 1)}\t${fmt(row.total / 1000, 1)}\t${row.query}`);

    const accepted = postShots.filter((shot) => shot.status === 201 || shot.status === 202).length;
    let startedAt = NaN;
    let dispatchedAt = NaN;
    const deadline = Date.now() + drainSeconds * 1000;
    let last = '';
    for (;;) {
      const { rows } = await stack.pg.query<{ started: string; received: string; dispatched: string }>(
        `SELECT count(*) FILTER (WHERE r.status = 'started') AS started,
                count(*) FILTER (WHERE r.status = 'received') AS received,
                count(c.dispatched_at) AS dispatched /* bench */
           FROM intake_requests r LEFT JOIN cases c ON c.case_no = r.case_no
          WHERE r.idempotency_key LIKE $1`,
        [`${run}-%`],
      );
      const started = Number(rows[0].started);
      const dispatched = Number(rows[0].dispatched);
      // A POST the client gave up on may still have been stored: every stored submission counts.
      const stored = started + Number(rows[0].received);
      const line = `  +${((Date.now() - postsDone) / 1000).toFixed(0)} s: started ${started}, received ${rows[0].received}, dispatched ${dispatched} of ${stored} stored; rss ${fmt(rssMiB(stack.app?.pid), 0)} MiB`;
      if (line.replace(/\+\d+ s/, '') !== last) out(line);
      last = line.replace(/\+\d+ s/, '');
      if (started >= stored && Number.isNaN(startedAt)) startedAt = Date.now();
      if (dispatched >= stored) {
        dispatchedAt = Date.now();
        break;
      }
      if (Date.now() > deadline) break;
      await sleep(2000);
    }
    clearInterval(sampler);
    out(
      `accepted ${accepted} of ${postShots.length}; all started ${fmt((startedAt - postsDone) / 1000, 0)} s and all ` +
        `dispatched ${fmt((dispatchedAt - postsDone) / 1000, 0)} s after the last POST (run took ${fmt((postsDone - t0) / 1000, 0)} s)`,
    );
    out(
      `product rss: before ${fmt(rssBefore, 0)} MiB, peak ${fmt(Math.max(...rss), 0)} MiB, end ${fmt(rss.at(-1) ?? NaN, 0)} MiB`,
    );
    out(machine());
  } finally {
    await connection.close();
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${String((error as Error).stack ?? error)}\n`);
  process.exit(1);
});
