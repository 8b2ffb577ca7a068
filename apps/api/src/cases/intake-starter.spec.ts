import { Logger, NotFoundException } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import type { IntakeRequestEntity } from '../../../../libs/persistence/src';
import type { RulesService } from '../rules/rules.service';
import type { TemporalBound } from '../temporal/temporal-bound';
import type { TemporalSettings } from '../temporal/temporal.module';
import { IntakeStarter } from './intake-starter';
import { IntakeSettings } from './intake-settings';

/** Stored submissions in memory, and a Temporal whose starts the test answers one by one. */
class Fixture {
  readonly rows = new Map<string, IntakeRequestEntity>();
  /** Starts sent and not answered yet, by workflow id. */
  readonly pending = new Map<string, { resolve: () => void; reject: (error: Error) => void }>();
  readonly started: string[] = [];
  maxInFlight = 0;
  readonly starter: IntakeStarter;

  constructor(settings: Partial<IntakeSettings>) {
    const rows = this.rows;
    const dataSource = {
      getRepository: () => ({
        findOneBy: async ({ idempotencyKey }: { idempotencyKey: string }) => rows.get(idempotencyKey) ?? null,
        update: async ({ idempotencyKey }: { idempotencyKey: string }, patch: Partial<IntakeRequestEntity>) =>
          Object.assign(rows.get(idempotencyKey) as IntakeRequestEntity, patch),
      }),
      query: async (_sql: string, [limit]: [number]) =>
        [...rows.values()]
          .filter((row) => row.status === 'received')
          .sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime())
          .slice(0, limit)
          .map((row) => ({ idempotency_key: row.idempotencyKey })),
    };
    const client = {
      workflow: {
        start: (_type: string, options: { workflowId: string }) =>
          new Promise<void>((resolve, reject) => {
            this.pending.set(options.workflowId, {
              resolve: () => {
                this.started.push(options.workflowId);
                resolve();
              },
              reject,
            });
            this.maxInFlight = Math.max(this.maxInFlight, this.pending.size);
          }).finally(() => this.pending.delete(options.workflowId)),
      },
    };
    const rules = {
      publishedFor: async () => {
        throw new NotFoundException('none published');
      },
    };
    const bound = { ms: 10_000, run: <T>(_what: string, call: () => Promise<T>) => call() };
    this.starter = new IntakeStarter(
      dataSource as unknown as DataSource,
      client as unknown as Client,
      { taskQueue: 'cases', namespace: 'default' } as TemporalSettings,
      rules as unknown as RulesService,
      bound as unknown as TemporalBound,
      {
        concurrency: 2,
        queueLimit: 3,
        waitMs: 5_000,
        fastStartMs: 60_000,
        waitQueueLimit: 2,
        retryMs: 60_000,
        ...settings,
      },
    );
  }

  store(n: number): IntakeRequestEntity[] {
    return Array.from({ length: n }, (_, i) => {
      const caseNo = `2026120300${String(this.rows.size + 1).padStart(4, '0')}`;
      const row = {
        idempotencyKey: `key-${caseNo}`,
        caseNo,
        requestHash: 'h',
        payload: { kind: 'complaint', category: 'noise-nuisance', channel: 'hotline', description: 'd' },
        status: 'received',
        receivedAt: new Date(Date.UTC(2026, 11, 3, 0, 0, i)),
        startedAt: null,
      } as unknown as IntakeRequestEntity;
      this.rows.set(row.idempotencyKey, row);
      return row;
    });
  }

  /** Answers every start sent so far, and the ones they let in, until none is left. */
  async answerAll(): Promise<void> {
    for (let rounds = 0; rounds < 100; rounds += 1) {
      await flush();
      if (this.pending.size === 0 && this.starter.queued === 0) {
        await flush();
        if (this.pending.size === 0) return;
      }
      for (const start of [...this.pending.values()]) start.resolve();
    }
    throw new Error('starts kept coming');
  }
}

/** Lets every promise callback that is ready run (database and start answers go through several). */
async function flush(): Promise<void> {
  for (let i = 0; i < 20; i += 1) await new Promise((resolve) => setImmediate(resolve));
}

describe('IntakeStarter', () => {
  let fixture: Fixture;
  beforeAll(() => Logger.overrideLogger(false));
  afterEach(async () => {
    for (const start of fixture.pending.values()) start.resolve();
    await fixture.starter.beforeApplicationShutdown();
  });

  it('should run at most `concurrency` starts at once and answer a key that finds the queue full at once', async () => {
    fixture = new Fixture({ concurrency: 2, queueLimit: 3, waitQueueLimit: 100 });
    const rows = fixture.store(8);
    const answers = rows.map((row) => fixture.starter.admit(row));
    await flush();
    expect(fixture.pending.size).toBe(2);
    // Two start, three wait in the queue, three find it full: stored, answered `received` without waiting.
    const settled: string[] = [];
    answers.forEach((answer, i) => void answer.then(() => settled.push(rows[i].idempotencyKey)));
    await flush();
    expect(settled).toEqual(rows.slice(5).map((row) => row.idempotencyKey));
    expect(await Promise.all(answers.slice(5))).toEqual(['received', 'received', 'received']);

    await fixture.answerAll();
    expect(await Promise.all(answers.slice(0, 5))).toEqual(['started', 'started', 'started', 'started', 'started']);
    // The three left out were taken from the stored rows once the queue had room: every case started once.
    expect([...fixture.rows.values()].map((row) => row.status)).toEqual(Array(8).fill('started'));
    expect(new Set(fixture.started).size).toBe(8);
    expect(fixture.started).toHaveLength(8);
    expect(fixture.maxInFlight).toBe(2);
  });

  it('should not wait for a start with more starts under way or queued ahead than the limit', async () => {
    fixture = new Fixture({ concurrency: 1, queueLimit: 100, waitQueueLimit: 1 });
    const rows = fixture.store(4);
    const answers = rows.map((row) => fixture.starter.admit(row));
    // The first starts (nothing ahead), the second has one start under way ahead (the limit); the third and fourth
    // have two and three ahead: answered at once, and still started from the queue.
    expect(await Promise.all(answers.slice(2))).toEqual(['received', 'received']);
    await fixture.answerAll();
    expect(await Promise.all(answers.slice(0, 2))).toEqual(['started', 'started']);
    expect(fixture.started).toHaveLength(4);
  });

  it('should wait only when intake is idle by default (no start under way or queued ahead)', async () => {
    fixture = new Fixture({ concurrency: 4, queueLimit: 100, waitQueueLimit: 0 });
    const rows = fixture.store(3);
    const answers = rows.map((row) => fixture.starter.admit(row));
    expect(await Promise.all(answers.slice(1))).toEqual(['received', 'received']);
    await fixture.answerAll();
    expect(await answers[0]).toBe('started');
    expect(fixture.started).toHaveLength(3);
  });

  it('should not wait while the recent starts were slow, and wait again once they are quick', async () => {
    fixture = new Fixture({ concurrency: 4, queueLimit: 100, fastStartMs: 40 });
    const [slowRow] = fixture.store(1);
    const slow = fixture.starter.admit(slowRow);
    await flush();
    await new Promise((resolve) => setTimeout(resolve, 120)); // the start takes ~120 ms: above the 40 ms
    await fixture.answerAll();
    expect(await slow).toBe('started');
    // A POST now answers `received` at once: nothing was answered by the engine, and yet it settled.
    const [next] = fixture.store(1);
    expect(await fixture.starter.admit(next)).toBe('received');
    await fixture.answerAll(); // still started from the queue
    expect(fixture.started).toContain(`case-${next.caseNo}`);

    // Quick starts bring the average under the bound (each weighs a fifth); then a POST waits for its start again.
    for (let i = 0; i < 12; i += 1) {
      const [row] = fixture.store(1);
      const answer = fixture.starter.admit(row);
      await fixture.answerAll();
      await answer;
    }
    const [last] = fixture.store(1);
    const waiting = fixture.starter.admit(last);
    let settled = false;
    void waiting.then(() => (settled = true));
    await flush();
    expect(settled).toBe(false); // it waits for the engine's answer
    await fixture.answerAll();
    expect(await waiting).toBe('started');
  });

  it('should answer received when a start fails, pause, and start the stored row after the pause', async () => {
    fixture = new Fixture({ concurrency: 2, queueLimit: 10 });
    const [row] = fixture.store(1);
    const answer = fixture.starter.admit(row);
    await flush();
    [...fixture.pending.values()][0].reject(new Error('UNAVAILABLE: connection refused'));
    expect(await answer).toBe('received');
    expect(row.status).toBe('received');
    // While paused, a new submission is answered at once and nothing is sent to Temporal.
    const [second] = fixture.store(1);
    expect(await fixture.starter.admit(second)).toBe('received');
    expect(fixture.pending.size).toBe(0);
    // After the first pause (500 ms) the queue runs again and the stored rows are swept.
    await new Promise((resolve) => setTimeout(resolve, 600));
    await fixture.answerAll();
    expect([row.status, second.status]).toEqual(['started', 'started']);
    expect(fixture.started).toHaveLength(2);
  });

  it('should start every stored row on demand and count them', async () => {
    fixture = new Fixture({ concurrency: 3, queueLimit: 5 });
    fixture.store(4);
    const started = fixture.starter.startStored();
    await fixture.answerAll();
    expect(await started).toBe(4);
  });
});
