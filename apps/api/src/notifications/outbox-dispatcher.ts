import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import {
  INBOX_CHANNEL,
  InboxChange,
  NotificationKind,
  NotificationPayload,
  OUTBOX_CHANNEL,
} from '../../../../libs/domain/src/lifecycle/notifications';
import { NotificationSender, OutboxNotification } from './notification-sender';
import { NotificationSettings, retryDelayMs } from './notification.settings';
import { PgListener } from './pg-listener';

/** What one {@link OutboxDispatcher.poll} did. */
export interface PollResult {
  delivered: number;
  failed: number;
}

interface OutboxRow {
  id: string;
  event_key: string;
  kind: NotificationKind;
  case_no: string;
  unit_id: string | null;
  payload: NotificationPayload;
  attempts: number;
  created_at: Date;
}

/** Longest `last_error` kept (a sender's error can be a whole response body). */
const MAX_ERROR_LENGTH = 1_000;

/**
 * Delivers the outbox at least once. Each poll claims due rows (`FOR UPDATE SKIP LOCKED`, so any number of API
 * instances share the work and never send a row twice at the same time), hands each to the
 * {@link NotificationSender}, and in the same transaction marks it delivered, or counts the attempt, keeps the error
 * and schedules a retry with exponential backoff. A crash before the commit leaves the rows due again: the send may
 * be repeated, never lost. A delivery is announced on the `shaosheng_inbox` channel (on commit), which every
 * instance's {@link InboxEvents} hears.
 *
 * It polls every `pollIntervalMs` from application bootstrap until shutdown, and at once when `appendCaseEvents`
 * signals new rows (`shaosheng_outbox`). Rows without a unit are delivered but announced to no inbox.
 */
@Injectable()
export class OutboxDispatcher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(OutboxDispatcher.name);
  private timer?: NodeJS.Timeout;
  private polling: Promise<unknown> = Promise.resolve();
  private ticking = false;
  private wakeRequested = false;
  private running = false;
  private stopping = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly sender: NotificationSender,
    private readonly settings: NotificationSettings,
    listener: PgListener,
  ) {
    listener.listen(OUTBOX_CHANNEL, () => this.wake());
    // Rows signalled while the connection was down would otherwise wait for the next poll.
    listener.onReconnect(() => this.wake());
  }

  onApplicationBootstrap(): void {
    if (this.settings.pollIntervalMs <= 0) return;
    this.running = true;
    this.schedule(0);
  }

  /** Stops polling and waits for a poll in progress to finish (its transaction commits or rolls back). */
  async onModuleDestroy(): Promise<void> {
    this.running = false;
    this.stopping = true;
    clearTimeout(this.timer);
    await this.polling.catch(() => undefined);
  }

  /**
   * Delivers every row due at `now` (default: the database's clock), batch after batch, until none is left; one
   * poll at a time per instance (a call waits for the one in progress). Retries are scheduled from `now` too;
   * `delivered_at` is always the database's clock. Tests call this directly, with an instant of their choosing.
   */
  poll(now?: Date): Promise<PollResult> {
    const run = this.polling.catch(() => undefined).then(() => this.drain(now));
    this.polling = run;
    return run;
  }

  /** New rows were signalled: poll now rather than at the next interval (coalesced with a poll in progress). */
  private wake(): void {
    if (!this.running) return;
    if (this.ticking) this.wakeRequested = true;
    else this.schedule(0);
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), delayMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    this.ticking = true;
    try {
      await this.poll();
    } catch (error) {
      this.logger.error({ msg: 'outbox poll failed', error: (error as Error).message });
    } finally {
      this.ticking = false;
      const again = this.wakeRequested;
      this.wakeRequested = false;
      if (this.running) this.schedule(again ? 0 : this.settings.pollIntervalMs);
    }
  }

  private async drain(now?: Date): Promise<PollResult> {
    const total: PollResult = { delivered: 0, failed: 0 };
    for (;;) {
      const batch = await this.dataSource.transaction((manager) => this.deliverBatch(manager, now));
      total.delivered += batch.delivered;
      total.failed += batch.failed;
      // A short batch means nothing more is due; stopping mid-way leaves the rest for the next instance or start.
      if (batch.claimed < this.settings.batchSize || this.stopping) return total;
    }
  }

  private async deliverBatch(manager: EntityManager, now?: Date): Promise<PollResult & { claimed: number }> {
    const clock = now?.toISOString() ?? null;
    const rows: OutboxRow[] = await manager.query(
      `SELECT id, event_key, kind, case_no, unit_id, payload, attempts, created_at
         FROM outbox
        WHERE delivered_at IS NULL AND next_attempt_at <= COALESCE($1::timestamptz, now())
        ORDER BY next_attempt_at, id
        LIMIT $2
        FOR UPDATE SKIP LOCKED`,
      [clock, this.settings.batchSize],
    );
    const result = { delivered: 0, failed: 0, claimed: rows.length };
    for (const row of rows) {
      // Shutting down: the rows not sent yet stay due, for the next poll of any instance.
      if (this.stopping) break;
      const error = await this.send(row);
      if (error === undefined) {
        await manager.query(`UPDATE outbox SET delivered_at = now(), attempts = attempts + 1 WHERE id = $1`, [row.id]);
        if (row.unit_id) await manager.query(`SELECT pg_notify($1, $2)`, [INBOX_CHANNEL, announcement(row)]);
        result.delivered += 1;
      } else {
        const attempts = row.attempts + 1;
        const delay = retryDelayMs(attempts, this.settings.retryBaseMs, this.settings.retryCapMs);
        await manager.query(
          `UPDATE outbox SET attempts = $2, last_error = $3,
                  next_attempt_at = COALESCE($4::timestamptz, now()) + $5 * interval '1 millisecond'
            WHERE id = $1`,
          [row.id, attempts, error.slice(0, MAX_ERROR_LENGTH), clock, delay],
        );
        this.logger.warn({
          msg: 'notification not delivered; will retry',
          eventKey: row.event_key,
          attempts,
          retryInMs: delay,
          error,
        });
        result.failed += 1;
      }
    }
    return result;
  }

  /** Hands one row to the sender; the error message when it fails or does not settle within `sendTimeoutMs`. */
  private async send(row: OutboxRow): Promise<string | undefined> {
    const notification: OutboxNotification = {
      id: String(row.id),
      eventKey: row.event_key,
      kind: row.kind,
      caseNo: row.case_no,
      unitId: row.unit_id,
      payload: row.payload,
      attempt: row.attempts + 1,
      createdAt: new Date(row.created_at).toISOString(),
    };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`the sender did not answer within ${this.settings.sendTimeoutMs} ms`)),
        this.settings.sendTimeoutMs,
      );
    });
    try {
      await Promise.race([this.sender.send(notification), timeout]);
      return undefined;
    } catch (error) {
      return (error instanceof Error ? error.message : String(error)) || 'send failed';
    } finally {
      clearTimeout(timer);
    }
  }
}

/** The `shaosheng_inbox` payload announcing a delivered row to its unit's streams. */
function announcement(row: OutboxRow): string {
  const change: InboxChange = {
    unitId: row.unit_id as string,
    reason: 'notification',
    kind: row.kind,
    caseNo: row.case_no,
    at: new Date().toISOString(),
  };
  return JSON.stringify(change);
}
