/*
 * Shaosheng as a lifecycle target: every step over HTTP as the user who takes it (docs/handlers.md). A case is a
 * noise complaint in 西苑社区 dispatched to 湖滨街道 (the integration journey's case), at an address of its own so
 * intake never links it to another as a duplicate; createCase returns once the case waits for its street to sign
 * (its `sign` task is open), which is when a handler could act on it.
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { BenchStack, call, login, sleep } from './stack';
import { LifecycleStep, LifecycleTarget } from './target';

const STEPS: Record<LifecycleStep, { who: 'street' | 'operator'; path: string; body: object }> = {
  sign: { who: 'street', path: 'sign', body: {} },
  contact: { who: 'street', path: 'contact', body: { note: '已电话联系' } },
  reply: { who: 'street', path: 'reply', body: { result: 'solved', summary: '已处理' } },
  review: { who: 'operator', path: 'review', body: { accepted: true } },
  callback: { who: 'operator', path: 'callback', body: { reached: true, solved: true, satisfaction: 'satisfied' } },
};

/** The body of POST /api/v1/cases for case i of run `run`. */
export function noiseComplaint(run: string, i: number, overrides: Record<string, unknown> = {}) {
  return {
    kind: 'complaint',
    category: 'noise-nuisance',
    channel: 'hotline',
    description: '楼下商铺夜间噪声扰民',
    address: `示范市东湖区湖滨路${run}-${i}号`,
    citizen: { name: '李女士', phone: '13900001111' },
    place: { communityId: 'c-xiyuan', streetId: 's-hubin', districtId: 'd-donghu' },
    ...overrides,
  };
}

export class ShaoshengTarget implements LifecycleTarget {
  readonly name = 'Shaosheng';
  private readonly run = randomUUID().slice(0, 8);
  private tokens: Record<'street' | 'operator', string> = { street: '', operator: '' };
  /** Actions answered 409 WrongState and tried again (the case had not caught up yet). */
  retries = 0;

  constructor(private readonly stack: BenchStack) {}

  async start(): Promise<void> {
    this.tokens = {
      street: await login(this.stack.api, 'handler.s-hubin'),
      operator: await login(this.stack.api, 'operator'),
    };
  }

  async stop(): Promise<void> {}

  async createCase(i: number): Promise<string> {
    const created = await call(this.stack.api, 'POST', '/api/v1/cases', noiseComplaint(this.run, i));
    if (created.status !== 201 && created.status !== 202) {
      throw new Error(`POST /api/v1/cases: ${created.status} ${JSON.stringify(created.body)}`);
    }
    const caseNo = String(created.body.caseNo);
    await waitForTask(this.stack, caseNo, 'sign');
    return caseNo;
  }

  async act(caseNo: string, step: LifecycleStep): Promise<void> {
    const { who, path, body } = STEPS[step];
    const deadline = Date.now() + 30_000;
    for (;;) {
      const answer = await call(this.stack.api, 'POST', `/api/v1/cases/${caseNo}/${path}`, body, this.tokens[who]);
      if (answer.status === 200) return;
      const refusal = String(answer.body.message ?? '');
      if (answer.status === 409 && refusal.startsWith('WrongState') && Date.now() < deadline) {
        this.retries += 1;
        await sleep(20);
        continue;
      }
      throw new Error(`${step} ${caseNo}: ${answer.status} ${JSON.stringify(answer.body)}`);
    }
  }
}

/** Listeners on the inbox channel, one per stack: they wake the waiters of a case when one of its tasks changes. */
const inboxes = new WeakMap<BenchStack, Promise<Map<string, Set<() => void>>>>();

/**
 * The waiters by case number of the stack's inbox channel (`shaosheng_inbox`, which PostgreSQL notifies on every
 * change of a task row), listened to on a client of its own.
 */
function inboxOf(stack: BenchStack): Promise<Map<string, Set<() => void>>> {
  let inbox = inboxes.get(stack);
  if (!inbox) {
    inbox = (async () => {
      const waiters = new Map<string, Set<() => void>>();
      const listener = new Client({ connectionString: stack.databaseUrl, application_name: 'bench' });
      await listener.connect();
      listener.on('notification', (message) => {
        try {
          const caseNo = String((JSON.parse(message.payload ?? '{}') as { caseNo?: string }).caseNo);
          for (const wake of waiters.get(caseNo) ?? []) wake();
        } catch {
          // not ours
        }
      });
      await listener.query('LISTEN shaosheng_inbox /* bench */');
      const stop = stack.stop;
      stack.stop = async () => {
        await listener.end().catch(() => undefined);
        await stop();
      };
      return waiters;
    })();
    inboxes.set(stack, inbox);
  }
  return inbox;
}

/**
 * Waits until the case has an open task of `step` (what a user's inbox shows): looks when PostgreSQL announces a
 * change of one of the case's tasks, and every 500 ms in case an announcement was missed (no tight polling, which
 * would load the database the product runs on).
 */
export async function waitForTask(stack: BenchStack, caseNo: string, step: string, timeoutMs = 120_000) {
  const waiters = await inboxOf(stack);
  const deadline = Date.now() + timeoutMs;
  let wake: () => void = () => undefined;
  const set = waiters.get(caseNo) ?? new Set<() => void>();
  waiters.set(caseNo, set);
  try {
    for (;;) {
      const changed = new Promise<void>((resolve) => {
        wake = resolve;
        set.add(resolve);
      });
      const { rowCount } = await stack.pg.query(
        `SELECT 1 /* bench */ FROM tasks WHERE case_no = $1 AND step = $2 AND status <> 'closed'`,
        [caseNo, step],
      );
      if (rowCount) return;
      if (Date.now() > deadline) throw new Error(`case ${caseNo} never opened its ${step} task`);
      await Promise.race([changed, sleep(500)]);
      set.delete(wake);
    }
  } finally {
    set.delete(wake);
    if (set.size === 0) waiters.delete(caseNo);
  }
}
