/*
 * Shaosheng as a lifecycle target: every step over HTTP as the user who takes it (docs/handlers.md). A case is a
 * noise complaint in 西苑社区 dispatched to 湖滨街道 (the integration journey's case), at an address of its own so
 * intake never links it to another as a duplicate; createCase returns once the case waits for its street to sign
 * (its `sign` task is open), which is when a handler could act on it.
 */
import { randomUUID } from 'node:crypto';
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

/** Waits until the case has an open task of `step` (what a user's inbox shows), polling PostgreSQL every 20 ms. */
export async function waitForTask(stack: BenchStack, caseNo: string, step: string, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rowCount } = await stack.pg.query(
      `SELECT 1 /* bench */ FROM tasks WHERE case_no = $1 AND step = $2 AND status <> 'closed'`,
      [caseNo, step],
    );
    if (rowCount) return;
    if (Date.now() > deadline) throw new Error(`case ${caseNo} never opened its ${step} task`);
    await sleep(20);
  }
}
