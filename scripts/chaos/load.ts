import { DEMO_PASSWORD } from '../../apps/api/src/auth/demo-users';

/** A deterministic pseudo-random source (mulberry32): the same seed draws the same run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The actions a chaos case goes through, in order; each run draws how far each case goes (0 to all 5). */
export const JOURNEY = ['sign', 'contact', 'reply', 'review', 'callback'] as const;
export type JourneyAction = (typeof JOURNEY)[number];

/** Who takes each action (the demo city's street handler of 湖滨街道 and the centre's operator), and its body. */
const ACTIONS: Record<JourneyAction, { as: 'street' | 'operator'; body: object }> = {
  sign: { as: 'street', body: {} },
  contact: { as: 'street', body: { note: '已电话联系' } },
  reply: { as: 'street', body: { result: 'solved', summary: '商铺已整改，噪声消除' } },
  review: { as: 'operator', body: { accepted: true } },
  callback: { as: 'operator', body: { reached: true, solved: true, satisfaction: 'satisfied' } },
};

/** The lifecycle phase a case is in once `action` (the last of the journey applied) is done. */
export const PHASE_AFTER: Record<JourneyAction | 'intake', string> = {
  intake: 'awaiting-sign',
  sign: 'handling',
  contact: 'handling',
  reply: 'in-review',
  review: 'awaiting-callback',
  callback: 'closed',
};

/** What the client saw of one action. */
export interface ActionRecord {
  action: JourneyAction;
  /** The Idempotency-Key of every attempt (the Update id). */
  key: string;
  /** `ok`: a 2xx; `refused`: a 4xx that is not worth retrying; `gave-up`: no 2xx before the deadline. */
  outcome: 'ok' | 'refused' | 'gave-up';
  attempts: number;
  /** The answer of each attempt: an HTTP status, or `timeout` / `network`. */
  answers: string[];
  replayed?: boolean;
  /** The last refusal's body, for the report. */
  refusal?: string;
}

/** What the client saw of one submission and the actions on its case. */
export interface SubmissionRecord {
  index: number;
  key: string;
  address: string;
  /** A 2xx answer came back (201 started, 202 stored, 200 replayed). */
  accepted: boolean;
  /** A 4xx that is not worth retrying (the body was refused). */
  rejected: boolean;
  answers: string[];
  caseNo?: string;
  /** `started`, `received` or `linked`, as the accepted answer said. */
  status?: string;
  plannedActions: number;
  actions: ActionRecord[];
}

/** The answers of one kind of request: by HTTP status, or `timeout` / `network`; latencies of answered ones. */
export interface RouteStats {
  requests: number;
  answers: Record<string, number>;
  /** When each attempt that got no answer within the client's bound was sent (ms since epoch). */
  timeoutsAt: number[];
  /** The first body of each status other than 2xx and 503 (cut at 300 characters), to tell what went wrong. */
  samples: Record<string, string>;
  latencies: number[];
}

/** Request counters over the whole run. */
export interface RequestCounters {
  requests: number;
  /** Attempts repeated after no answer, a 5xx or a 429 (same Idempotency-Key). */
  retries: number;
  /** Sign attempts repeated because the case was not started or dispatched yet (404 / 403 / 409). */
  waits: number;
  timeouts: number;
  networkErrors: number;
  status5xx: number;
  status503: number;
  status429: number;
  /** Latency of answered requests, in ms. */
  latencies: number[];
  /** By kind of request: `intake`, `login`, or the action (`sign`, `contact`, …). */
  byRoute: Record<string, RouteStats>;
}

interface Answer {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

/** A small HTTP client of the API: every attempt bounded by `timeoutMs`; failures counted. */
export class ApiClient {
  readonly counters: RequestCounters = {
    requests: 0,
    retries: 0,
    waits: 0,
    timeouts: 0,
    networkErrors: 0,
    status5xx: 0,
    status503: 0,
    status429: 0,
    latencies: [],
    byRoute: {},
  };

  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs: number,
  ) {}

  /** One attempt: the answer, or `timeout` / `network` when none came. */
  async send(
    route: string,
    path: string,
    options: { token?: string; key?: string; body?: object; method?: string },
  ): Promise<Answer | 'timeout' | 'network'> {
    this.counters.requests += 1;
    const stats = (this.counters.byRoute[route] ??= {
      requests: 0,
      answers: {},
      samples: {},
      latencies: [],
      timeoutsAt: [],
    });
    stats.requests += 1;
    const seen = (answer: string) => (stats.answers[answer] = (stats.answers[answer] ?? 0) + 1);
    const started = Date.now();
    try {
      const response = await fetch(`${this.baseUrl}${path}`, {
        method: options.method ?? 'POST',
        headers: {
          'content-type': 'application/json',
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          ...(options.key ? { 'idempotency-key': options.key } : {}),
        },
        body: options.body ? JSON.stringify(options.body) : undefined,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      const text = await response.text();
      this.counters.latencies.push(Date.now() - started);
      stats.latencies.push(Date.now() - started);
      seen(String(response.status));
      if (response.status >= 500) this.counters.status5xx += 1;
      if (response.status === 503) this.counters.status503 += 1;
      if (response.status === 429) this.counters.status429 += 1;
      let body: Record<string, unknown> = {};
      try {
        body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
      } catch {
        body = { text };
      }
      if ((response.status >= 300 && response.status !== 503) || response.status < 200) {
        stats.samples[response.status] ??= text.slice(0, 300);
      }
      return { status: response.status, body, headers: response.headers };
    } catch (error) {
      const name = (error as Error).name;
      if (name === 'TimeoutError' || name === 'AbortError') {
        this.counters.timeouts += 1;
        stats.timeoutsAt.push(started);
        seen('timeout');
        return 'timeout';
      }
      this.counters.networkErrors += 1;
      seen('network');
      return 'network';
    }
  }

  /** Logs in as a demo user, retrying until `deadline`. */
  async login(username: string, deadline: number): Promise<string> {
    for (;;) {
      const answer = await this.send('login', '/api/v1/auth/login', { body: { username, password: DEMO_PASSWORD } });
      if (typeof answer !== 'string' && answer.status === 200) return answer.body.accessToken as string;
      if (Date.now() > deadline) throw new Error(`login as ${username} failed: ${JSON.stringify(answer)}`);
      await sleep(1000);
    }
  }
}

/** Worth retrying with the same Idempotency-Key: no answer, a server error, or a rate limit. */
const retryable = (answer: Answer | 'timeout' | 'network') =>
  typeof answer === 'string' || answer.status >= 500 || answer.status === 429;

const label = (answer: Answer | 'timeout' | 'network') => (typeof answer === 'string' ? answer : String(answer.status));

/** Waits between retries: about 1 s, or the server's `Retry-After` (at most 5 s). */
function pause(answer: Answer | 'timeout' | 'network', random: () => number): Promise<unknown> {
  const after = typeof answer === 'string' ? NaN : Number(answer.headers.get('retry-after'));
  const ms = Number.isFinite(after) && after > 0 ? Math.min(after, 5) * 1000 : 1000;
  return sleep(ms * (0.5 + random()));
}

/** The body of one chaos submission: a noise complaint in 西苑社区 at an address of its own (never a repeat). */
export function submissionBody(address: string) {
  return {
    kind: 'complaint',
    category: 'noise-nuisance',
    channel: 'hotline',
    description: '楼下商铺夜间噪声扰民（故障注入）',
    address,
    citizen: { name: '李女士', phone: '13900001111' },
    place: { communityId: 'c-xiyuan', streetId: 's-hubin', districtId: 'd-donghu' },
  };
}

export interface JourneyOptions {
  client: ApiClient;
  tokens: { street: string; operator: string };
  random: () => number;
  /** No new action starts after this instant (ms since epoch). */
  actionsUntil: number;
  /** Retries stop after this instant (ms since epoch). */
  retryUntil: number;
  runId: string;
}

/**
 * One citizen's request and the actions on its case: submits with an Idempotency-Key and retries it on no answer
 * or a 5xx until accepted; then takes the planned actions in order, each with its own key, retried the same way.
 * A sign is also retried on 404 / 409 while the case is not yet started or dispatched (202 answers start it later).
 */
export async function runJourney(index: number, options: JourneyOptions): Promise<SubmissionRecord> {
  const { client, random } = options;
  const record: SubmissionRecord = {
    index,
    key: `chaos-${options.runId}-${index}`,
    address: `示范市东湖区湖滨路故障注入${options.runId}-${index}号`,
    accepted: false,
    rejected: false,
    answers: [],
    plannedActions: Math.floor(random() * (JOURNEY.length + 1)),
    actions: [],
  };
  const body = submissionBody(record.address);
  for (let attempt = 0; ; attempt += 1) {
    if (attempt > 0) client.counters.retries += 1;
    const answer = await client.send('intake', '/api/v1/cases', { key: record.key, body });
    record.answers.push(label(answer));
    if (typeof answer !== 'string' && answer.status >= 200 && answer.status < 300) {
      record.accepted = true;
      record.caseNo = answer.body.caseNo as string;
      record.status = answer.body.status as string;
      break;
    }
    if (!retryable(answer)) {
      record.rejected = true;
      return record;
    }
    if (Date.now() > options.retryUntil) return record;
    await pause(answer, random);
  }

  for (const action of JOURNEY.slice(0, record.plannedActions)) {
    if (Date.now() > options.actionsUntil) break;
    await sleep(random() * 1500);
    const done = await act(record.caseNo as string, `${record.key}-${action}`, action, options);
    record.actions.push(done);
    if (done.outcome !== 'ok') break;
  }
  return record;
}

async function act(caseNo: string, key: string, action: JourneyAction, options: JourneyOptions): Promise<ActionRecord> {
  const { client, random } = options;
  const { as, body } = ACTIONS[action];
  const record: ActionRecord = { action, key, outcome: 'gave-up', attempts: 0, answers: [] };
  let waiting = false;
  for (;;) {
    if (record.attempts > 0) client.counters[waiting ? 'waits' : 'retries'] += 1;
    record.attempts += 1;
    const answer = await client.send(action, `/api/v1/cases/${caseNo}/${action}`, {
      token: options.tokens[as],
      key: record.key,
      body,
    });
    record.answers.push(label(answer));
    if (typeof answer !== 'string' && answer.status >= 200 && answer.status < 300) {
      record.outcome = 'ok';
      record.replayed = answer.headers.get('idempotent-replayed') === 'true';
      return record;
    }
    // Before its dispatch a case is not yet the street's to sign (not started yet: 404; not dispatched: 409/403).
    const notYet = action === 'sign' && typeof answer !== 'string' && [403, 404, 409].includes(answer.status);
    if (typeof answer !== 'string' && !retryable(answer) && !notYet) {
      record.outcome = 'refused';
      record.refusal = `${answer.status} ${JSON.stringify(answer.body)}`;
      return record;
    }
    waiting = notYet;
    if (notYet && typeof answer !== 'string') record.refusal = `${answer.status} ${JSON.stringify(answer.body)}`;
    if (Date.now() > options.retryUntil) return record;
    await pause(answer, random);
  }
}
