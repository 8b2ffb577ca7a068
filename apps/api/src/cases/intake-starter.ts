import {
  BeforeApplicationShutdown,
  Injectable,
  Logger,
  NotFoundException,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import { DataSource } from 'typeorm';
import { CaseSubmission, caseWorkflowId, factsOf } from '../../../../libs/domain/src/case/case.types';
import { toLifecycleRules } from '../../../../libs/domain/src/rules';
import { IntakeRequestEntity } from '../../../../libs/persistence/src';
import { COMPLAINT_CASE_WORKFLOW, ComplaintCaseInput } from '../../../../workflows/complaint-case/messages';
import { RulesService } from '../rules/rules.service';
import { TemporalBound } from '../temporal/temporal-bound';
import { TemporalSettings } from '../temporal/temporal.module';
import { IntakeSettings } from './intake-settings';

/** The process definition every case pins until versioned rules arrive. */
export const DEFAULT_RULES_VERSION = 'beijing@1';

/** The first pause after a failed start, in milliseconds; doubled per further failure up to the retry interval. */
const FIRST_PAUSE_MS = 500;

/** A start's outcome: `started` (its workflow runs) or `received` (still stored only; started later). */
export type StartOutcome = 'started' | 'received';

/**
 * Admission control of intake: starts the case workflows of stored submissions from a queue of idempotency keys,
 * at most {@link IntakeSettings.concurrency} starts at a time, so that a burst of submissions neither waits in line
 * for Temporal nor piles up requests against it.
 *
 * The queue holds keys only, at most {@link IntakeSettings.queueLimit}; the submissions stay in PostgreSQL
 * (`intake_requests`, status `received`). A key that finds the queue full is left there and the queue is refilled
 * from the stored rows, oldest first, as soon as it has room again, so the backlog drains at full speed and memory
 * stays flat however far behind the starts fall. The same sweep runs at boot (nothing stored before a restart is
 * lost) and every {@link IntakeSettings.retryMs}. A failed start pauses the starts (500 ms, doubling up to the retry
 * interval) instead of running the whole backlog into an unreachable server.
 *
 * Starts are idempotent (workflow id from the case number, REJECT_DUPLICATE, "already started" counts as started),
 * so two API instances sweeping the same rows start each case once.
 */
@Injectable()
export class IntakeStarter implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(IntakeStarter.name);
  /** Keys waiting for a start slot, oldest first. */
  private readonly queue: string[] = [];
  /** Keys queued or being started. */
  private readonly active = new Set<string>();
  /** When each queued key was queued (ms), to time its start. */
  private readonly queuedAt = new Map<string, number>();
  /** Moving average of the recent starts' times from queueing to started, ms (undefined before the first). */
  private recentStartMs?: number;
  /** Callers waiting for a key's start. */
  private readonly waiters = new Map<string, Set<(outcome: StartOutcome) => void>>();
  private readonly running = new Set<Promise<void>>();
  /** Rows may be stored that are not in the queue (it was full, or a start failed): sweep when there is room. */
  private backlog = true;
  private sweeping?: Promise<string[]>;
  private pausedUntil = 0;
  private pauseMs = 0;
  private wake?: NodeJS.Timeout;
  private timer?: NodeJS.Timeout;
  private closed = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly client: Client,
    private readonly temporal: TemporalSettings,
    private readonly rules: RulesService,
    private readonly bound: TemporalBound,
    private readonly settings: IntakeSettings,
  ) {}

  onApplicationBootstrap(): void {
    void this.sweep();
    this.timer = setInterval(() => void this.sweep(), this.settings.retryMs);
    this.timer.unref();
  }

  /** Stops taking keys and waits for the starts in flight (each within the Temporal bound). */
  async beforeApplicationShutdown(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    clearTimeout(this.wake);
    await Promise.allSettled([...this.running]);
    for (const key of this.waiters.keys()) this.settle(key, 'received');
  }

  /** Keys queued for a start, for the metrics. */
  get queued(): number {
    return this.queue.length;
  }

  /**
   * Admits a stored submission: queues its start and waits for it up to {@link IntakeSettings.waitMs}, or not at all
   * when the starts are paused, more than {@link IntakeSettings.waitQueueLimit} starts are under way or queued ahead of
   * it, or the recent starts were slow ({@link IntakeSettings.fastStartMs}).
   * Answers `received` when the start did not happen (yet): the row is stored and will be started.
   */
  async admit(request: IntakeRequestEntity): Promise<StartOutcome> {
    if (request.status === 'started') return 'started';
    const ahead = this.queue.length + this.running.size;
    const queued = this.enqueue(request.idempotencyKey);
    if (!queued || this.paused() || ahead > this.settings.waitQueueLimit || this.slow()) return 'received';
    return this.waitFor(request.idempotencyKey, this.settings.waitMs);
  }

  /** Whether the recent starts took longer than {@link IntakeSettings.fastStartMs} on average (then nobody waits). */
  private slow(): boolean {
    return this.recentStartMs !== undefined && this.recentStartMs > this.settings.fastStartMs;
  }

  /** Moving average of the start times: each new start weighs a fifth. */
  private timeStart(key: string): void {
    const at = this.queuedAt.get(key);
    this.queuedAt.delete(key);
    if (at === undefined) return;
    const ms = Date.now() - at;
    this.recentStartMs = this.recentStartMs === undefined ? ms : 0.8 * this.recentStartMs + 0.2 * ms;
  }

  /**
   * Starts the stored submissions now (tests, operators): takes the oldest stored ones into the queue, lifting a pause,
   * and answers how many of them started.
   */
  async startStored(): Promise<number> {
    this.pausedUntil = 0;
    const keys = await this.sweep();
    const outcomes = await Promise.all(keys.map((key) => this.waitFor(key, Infinity)));
    return outcomes.filter((outcome) => outcome === 'started').length;
  }

  private paused(): boolean {
    return Date.now() < this.pausedUntil;
  }

  /** Queues a key unless the queue is full (then the stored row waits for a sweep); true when queued or under way. */
  private enqueue(key: string): boolean {
    if (this.active.has(key)) return true;
    if (this.closed || this.queue.length >= this.settings.queueLimit) {
      this.backlog = true;
      return false;
    }
    this.active.add(key);
    this.queuedAt.set(key, Date.now());
    this.queue.push(key);
    this.pump();
    return true;
  }

  /** Starts queued keys while slots are free; refills the queue from the stored rows when it runs low. */
  private pump(): void {
    while (!this.closed && !this.paused() && this.running.size < this.settings.concurrency && this.queue.length > 0) {
      const key = this.queue.shift() as string;
      const run = this.startKey(key).finally(() => {
        this.running.delete(run);
        this.pump();
      });
      this.running.add(run);
    }
    if (this.backlog && !this.paused() && this.queue.length <= this.settings.queueLimit / 2) void this.sweep();
  }

  private async startKey(key: string): Promise<void> {
    let outcome: StartOutcome = 'received';
    try {
      const request = await this.dataSource.getRepository(IntakeRequestEntity).findOneBy({ idempotencyKey: key });
      if (request) outcome = request.status === 'started' ? 'started' : await this.start(request);
    } catch (error) {
      this.logger.warn(`start of the submission under key ${key} failed: ${(error as Error).message}`);
    } finally {
      this.active.delete(key);
      if (outcome === 'started') this.timeStart(key);
      else this.queuedAt.delete(key);
      this.settle(key, outcome);
    }
  }

  /**
   * Takes the oldest stored submissions not yet under way into the queue, as many as it has room for; answers their
   * keys. One sweep at a time.
   */
  private sweep(): Promise<string[]> {
    if (this.closed || this.paused()) return Promise.resolve([]);
    this.sweeping ??= this.sweepOnce()
      .catch((error: unknown) => {
        this.logger.warn(`reading the stored submissions failed: ${String(error)}`);
        return [];
      })
      .finally(() => (this.sweeping = undefined));
    return this.sweeping;
  }

  private async sweepOnce(): Promise<string[]> {
    const room = this.settings.queueLimit - this.queue.length;
    if (room <= 0) return [];
    // Cleared first: a key that overflows while the rows are read sets it again.
    this.backlog = false;
    const limit = room + this.active.size;
    const rows = (await this.dataSource.query(
      `SELECT idempotency_key FROM intake_requests WHERE status = 'received' ORDER BY received_at LIMIT $1`,
      [limit],
    )) as { idempotency_key: string }[];
    if (rows.length >= limit) this.backlog = true;
    const taken: string[] = [];
    for (const { idempotency_key: key } of rows) {
      if (this.active.has(key)) continue;
      if (!this.enqueue(key)) break;
      taken.push(key);
    }
    if (taken.length > 0) this.logger.log(`starting ${taken.length} stored submission(s)`);
    return taken;
  }

  private waitFor(key: string, ms: number): Promise<StartOutcome> {
    if (!this.active.has(key)) return Promise.resolve('received');
    return new Promise<StartOutcome>((resolve) => {
      const waiting = this.waiters.get(key) ?? new Set();
      this.waiters.set(key, waiting);
      let timer: NodeJS.Timeout | undefined;
      const done = (outcome: StartOutcome) => {
        clearTimeout(timer);
        waiting.delete(done);
        if (waiting.size === 0 && this.waiters.get(key) === waiting) this.waiters.delete(key);
        resolve(outcome);
      };
      waiting.add(done);
      if (Number.isFinite(ms)) timer = setTimeout(() => done('received'), ms);
    });
  }

  private settle(key: string, outcome: StartOutcome): void {
    for (const done of [...(this.waiters.get(key) ?? [])]) done(outcome);
  }

  /** Starts the case workflow of a stored submission; a second start of the same case is a no-op. */
  private async start(request: IntakeRequestEntity): Promise<StartOutcome> {
    const submission = request.payload;
    try {
      const input: ComplaintCaseInput = {
        caseNo: request.caseNo,
        receivedAt: request.receivedAt.toISOString(),
        ...(await this.pinnedRules(submission)),
        facts: factsOf(submission),
        ...(submission.intake ? { intake: submission.intake } : {}),
        ...(submission.linkedTo ? { linkedTo: submission.linkedTo } : {}),
      };
      await this.bound.run(`start of case ${request.caseNo}`, () =>
        this.client.workflow.start(COMPLAINT_CASE_WORKFLOW, {
          workflowId: caseWorkflowId(request.caseNo),
          taskQueue: this.temporal.taskQueue,
          args: [input],
          workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        }),
      );
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) {
        this.logger.warn(`case ${request.caseNo} stored; its workflow will start later: ${(error as Error).message}`);
        this.pause();
        return 'received';
      }
    }
    this.pauseMs = 0;
    await this.dataSource
      .getRepository(IntakeRequestEntity)
      .update({ idempotencyKey: request.idempotencyKey }, { status: 'started', startedAt: new Date() });
    return 'started';
  }

  /** After a failed start: no new start for a while (doubling), then the queue and the stored rows are tried again. */
  private pause(): void {
    this.backlog = true;
    this.pauseMs = Math.min(this.settings.retryMs, this.pauseMs ? this.pauseMs * 2 : FIRST_PAUSE_MS);
    this.pausedUntil = Date.now() + this.pauseMs;
    clearTimeout(this.wake);
    this.wake = setTimeout(() => this.pump(), this.pauseMs);
    this.wake.unref();
  }

  /**
   * The process definition version that governs the request's place (a district's own version, else the city's):
   * its label and lifecycle rules, pinned on the case. Without any published version (a database never seeded),
   * the built-in `beijing` preset.
   */
  private async pinnedRules(submission: CaseSubmission): Promise<Pick<ComplaintCaseInput, 'rulesVersion' | 'rules'>> {
    try {
      const published = await this.rules.publishedFor({ districtId: submission.place?.districtId });
      return { rulesVersion: published.label, rules: toLifecycleRules(published.definition) };
    } catch (error) {
      if (!(error instanceof NotFoundException)) throw error;
      this.logger.warn(`no process definition is published: case pinned to the built-in ${DEFAULT_RULES_VERSION}`);
      return { rulesVersion: DEFAULT_RULES_VERSION };
    }
  }
}
