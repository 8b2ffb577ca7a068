/*
 * npm run bench:day — Beijing's day through the real stack: --cases (default 27,300) arrive along an hourly profile
 * that peaks mid-morning, the 24 hours compressed into --window seconds (default 3,000 for the full day, scaled
 * down with --cases so the arrival rate stays that of the full day). Each case is submitted when it arrives (open
 * loop, as citizens call) and then driven by --handlers concurrent "handlers" through its actions: sign, contact,
 * and by the shares below a whistle round (report, result, rating), an extension (request, decision), an escalation
 * (the committee coordinates), then reply, review and call-back; a dissatisfied call-back sends the case back once
 * (re-handling: reply, review, call-back again). Deadlines are the rules' own (working days): none fires within the
 * run. Prints wall time, cases/s and the backlog (arrived, not yet closed) over time.
 *
 *   --cases 27300  --window <s>  --handlers 8
 *   --whistle 0.2  --extension 0.1  --escalation 0.05  --rehandling 0.08   shares of cases
 */
import { randomUUID } from 'node:crypto';
import { noiseComplaint, waitForTask } from './shaosheng-target';
import { arg, call, fmt, login, machine, out, productRssText, sleep, startBenchStack, BenchStack } from './stack';

/** Relative arrivals per hour of the day (0 = midnight–01:00), shaped like a city hotline's: a mid-morning peak. */
export const HOURLY_PROFILE = [
  1.0, 0.6, 0.4, 0.3, 0.3, 0.5, 1.2, 2.8, 5.2, 7.0, 7.2, 6.4, 4.6, 5.0, 6.2, 6.4, 6.0, 5.4, 4.4, 3.8, 3.4, 2.8, 2.0,
  1.4,
];

/** Arrival offsets (seconds within `window`) of `cases` cases along the profile, evenly spread inside each hour. */
export function arrivals(cases: number, window: number): number[] {
  const total = HOURLY_PROFILE.reduce((a, b) => a + b, 0);
  const hour = window / 24;
  const times: number[] = [];
  let assigned = 0;
  HOURLY_PROFILE.forEach((weight, h) => {
    const n = h === 23 ? cases - assigned : Math.round((cases * weight) / total);
    for (let k = 0; k < n; k++) times.push(h * hour + ((k + 0.5) * hour) / n);
    assigned += n;
  });
  return times;
}

interface Plan {
  whistle: boolean;
  extension: boolean;
  escalation: boolean;
  rehandling: boolean;
}

class Day {
  readonly run = randomUUID().slice(0, 8);
  tokens = new Map<string, string>();
  arrived = 0;
  created = 0;
  closed = 0;
  failed = 0;
  actions = 0;
  queue: { caseNo: string; plan: Plan }[] = [];

  constructor(private readonly stack: BenchStack) {}

  async token(username: string): Promise<string> {
    let token = this.tokens.get(username);
    if (!token) this.tokens.set(username, (token = await login(this.stack.api, username)));
    return token;
  }

  /** One action as `username`, tried again while the case answers 409 WrongState (it has not caught up yet). */
  async act(username: string, caseNo: string, path: string, body: object = {}) {
    const token = await this.token(username);
    const deadline = Date.now() + 60_000;
    for (;;) {
      const answer = await call(this.stack.api, 'POST', `/api/v1/cases/${caseNo}/${path}`, body, token);
      if (answer.status === 200) {
        this.actions += 1;
        return answer.body;
      }
      const retry = answer.status === 409 || answer.status === 404 || answer.status === 503;
      if (!retry || Date.now() > deadline)
        throw new Error(`${path} ${caseNo}: ${answer.status} ${JSON.stringify(answer.body)}`);
      await sleep(100);
    }
  }

  async handle(caseNo: string, plan: Plan): Promise<void> {
    const street = 'handler.s-hubin';
    await waitForTask(this.stack, caseNo, 'sign', 600_000);
    await this.act(street, caseNo, 'sign');
    await this.act(street, caseNo, 'contact', { note: '已电话联系' });
    if (plan.whistle) {
      const dept = 'handler.dept-urban-management';
      await this.act(street, caseNo, 'whistle', {
        departmentIds: ['dept-urban-management'],
        grade: 'blue',
        reason: '需执法配合',
      });
      await this.act(dept, caseNo, 'whistle-rounds/1/report', { note: '已到场' });
      await this.act(dept, caseNo, 'whistle-rounds/1/result', { summary: '已处置' });
      await this.act(street, caseNo, 'whistle-rounds/1/ratings', { departmentId: 'dept-urban-management', score: 5 });
    }
    if (plan.extension) {
      await this.act(street, caseNo, 'extension-request', { workingDays: 3, reason: '等待整改' });
      await this.act('operator', caseNo, 'extension-decision', { approved: true, reason: '同意' });
    }
    if (plan.escalation) {
      const escalated = await this.act(street, caseNo, 'escalate', { reason: '需协调' });
      const lifecycle = (escalated.lifecycle ?? {}) as { escalationUnitId?: string; rung?: { role?: string } };
      const coordinator =
        lifecycle.rung?.role === 'operator' ? 'operator' : `coordinator.${lifecycle.escalationUnitId ?? 'cc-s-hubin'}`;
      await this.act(coordinator, caseNo, 'coordinate', { instruction: '请湖滨街道牵头处置' });
    }
    await this.act(street, caseNo, 'reply', { result: 'solved', summary: '已处理' });
    await this.act('operator', caseNo, 'review', { accepted: true });
    if (plan.rehandling) {
      await this.act('operator', caseNo, 'callback', { reached: true, solved: false, satisfaction: 'dissatisfied' });
      await this.act(street, caseNo, 'reply', { result: 'solved', summary: '二次办理完毕' });
      await this.act('operator', caseNo, 'review', { accepted: true });
    }
    await this.act('operator', caseNo, 'callback', { reached: true, solved: true, satisfaction: 'satisfied' });
  }
}

async function main(): Promise<void> {
  const cases = Number(arg('cases', '27300'));
  const window = Number(arg('window', String(Math.max(10, (3000 * cases) / 27300))));
  const handlers = Number(arg('handlers', '8'));
  const shares = {
    whistle: Number(arg('whistle', '0.2')),
    extension: Number(arg('extension', '0.1')),
    escalation: Number(arg('escalation', '0.05')),
    rehandling: Number(arg('rehandling', '0.08')),
  };
  out(`bench:day — ${machine()}`);
  out(
    `${cases} cases, the day compressed into ${fmt(window, 0)} s, ${handlers} concurrent handlers; shares ` +
      `${Object.entries(shares)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}; app: ${process.env.APP_DIR ?? 'this checkout'}`,
  );
  const stack = await startBenchStack();
  const day = new Day(stack);
  // A deterministic spread of the shares: case i takes an action when its share's accumulator crosses an integer.
  const planOf = (i: number): Plan => ({
    whistle: Math.floor((i + 1) * shares.whistle) > Math.floor(i * shares.whistle),
    extension: Math.floor((i + 1) * shares.extension + 0.5) > Math.floor(i * shares.extension + 0.5),
    escalation: Math.floor((i + 1) * shares.escalation + 0.25) > Math.floor(i * shares.escalation + 0.25),
    rehandling: Math.floor((i + 1) * shares.rehandling + 0.75) > Math.floor(i * shares.rehandling + 0.75),
  });
  try {
    const times = arrivals(cases, window);
    const started = performance.now();
    const elapsed = () => (performance.now() - started) / 1000;
    let submitting = true;
    const samples: string[] = [];
    const reporter = setInterval(() => {
      const line =
        `t=${fmt(elapsed(), 0)}s arrived ${day.arrived} created ${day.created} closed ${day.closed} ` +
        `backlog ${day.arrived - day.closed - day.failed} failed ${day.failed} RSS ${productRssText(stack)}`;
      samples.push(line);
      out(`  ${line}`);
    }, 15_000);

    const submissions: Promise<void>[] = [];
    const submit = (async () => {
      for (let i = 0; i < times.length; i++) {
        const wait = times[i] * 1000 - (performance.now() - started);
        if (wait > 0) await sleep(wait);
        day.arrived += 1;
        submissions.push(
          (async () => {
            const answer = await call(stack.api, 'POST', '/api/v1/cases', noiseComplaint(day.run, i));
            if (answer.status !== 201 && answer.status !== 202) {
              day.failed += 1;
              process.stderr.write(`POST ${i}: ${answer.status} ${JSON.stringify(answer.body)}\n`);
              return;
            }
            day.created += 1;
            day.queue.push({ caseNo: String(answer.body.caseNo), plan: planOf(i) });
          })(),
        );
      }
      await Promise.all(submissions);
      submitting = false;
    })();

    const handler = async () => {
      for (;;) {
        const next = day.queue.shift();
        if (!next) {
          if (!submitting) return;
          await sleep(50);
          continue;
        }
        try {
          await day.handle(next.caseNo, next.plan);
          day.closed += 1;
        } catch (error) {
          day.failed += 1;
          process.stderr.write(`case ${next.caseNo}: ${error instanceof Error ? error.message : String(error)}\n`);
        }
      }
    };
    await Promise.all([submit, ...Array.from({ length: handlers }, handler)]);
    clearInterval(reporter);
    const wall = elapsed();
    out();
    out('| figure | value |');
    out('| --- | --- |');
    out(`| cases closed | ${day.closed} of ${cases} (${day.failed} failed) |`);
    out(`| wall time | ${fmt(wall, 0)} s (${fmt(wall / 60, 1)} min) |`);
    out(`| cases/s (closed ÷ wall time) | ${fmt(day.closed / wall, 2)} |`);
    out(`| actions (HTTP, 200) | ${day.actions} (${fmt(day.actions / Math.max(1, day.closed), 1)} per case) |`);
    out(
      `| 27,300 cases at this rate | ${fmt(27300 / (day.closed / wall) / 3600, 2)} h` +
        `${cases === 27300 ? ' (measured)' : ' (EXTRAPOLATED from this run)'} |`,
    );
    out(`| product RSS at the end | ${productRssText(stack)} |`);
    out(`end: ${machine()}`);
  } finally {
    await stack.stop();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
