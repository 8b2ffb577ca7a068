import { Injectable, Logger, MessageEvent, OnModuleDestroy } from '@nestjs/common';
import { defer, finalize, interval, map, merge, Observable, of, Subject, takeUntil } from 'rxjs';
import { INBOX_CHANNEL, InboxChange, NOTIFICATION_KINDS } from '../../../../libs/domain/src/lifecycle/notifications';
import { NotificationSettings } from './notification.settings';
import { PgListener } from './pg-listener';

/**
 * The inbox changes of each unit, in this API instance: one subject per unit with open streams, fed by the
 * `shaosheng_inbox` NOTIFY channel, so a change announced by any instance's dispatcher (or any writer of the
 * channel) reaches the streams of every instance.
 */
@Injectable()
export class InboxEvents implements OnModuleDestroy {
  private readonly logger = new Logger(InboxEvents.name);
  private readonly units = new Map<string, Subject<InboxChange>>();
  private readonly closing = new Subject<void>();

  constructor(
    listener: PgListener,
    private readonly settings: NotificationSettings,
  ) {
    listener.listen(INBOX_CHANNEL, (payload) => this.receive(payload));
    // NOTIFYs sent while the connection was down are lost: every open stream is told to reload.
    listener.onReconnect(() => {
      const at = new Date().toISOString();
      for (const unitId of this.units.keys()) this.publish({ unitId, reason: 'resync', at });
    });
  }

  /** The changes of one unit's inbox, from now on (hot: nothing is replayed). */
  changes(unitId: string): Observable<InboxChange> {
    return defer(() => {
      let subject = this.units.get(unitId);
      if (!subject) {
        subject = new Subject<InboxChange>();
        this.units.set(unitId, subject);
      }
      const own = subject;
      return own.pipe(
        finalize(() => {
          if (!own.observed && this.units.get(unitId) === own) this.units.delete(unitId);
        }),
      );
    });
  }

  /**
   * The server-sent events of one unit's stream: `ready` first (the console loads the inbox then, so nothing falls
   * between its load and the first change), an `inbox` event per change, and a `heartbeat` with no data while idle
   * (an EventSource dispatches no event without data; Nest's `@Sse` writes events only, not comment lines). It
   * completes when the application stops.
   */
  stream(unitId: string): Observable<MessageEvent> {
    return merge(
      of<MessageEvent>({ type: 'ready', data: { unitId }, retry: 3_000 }),
      this.changes(unitId).pipe(map((change): MessageEvent => ({ type: 'inbox', data: change }))),
      interval(this.settings.heartbeatMs).pipe(map((): MessageEvent => ({ type: 'heartbeat', data: '' }))),
    ).pipe(takeUntil(this.closing));
  }

  /** Tells this instance's streams of the unit (the dispatcher announces through NOTIFY instead, to reach all). */
  publish(change: InboxChange): void {
    this.units.get(change.unitId)?.next(change);
  }

  onModuleDestroy(): void {
    this.closing.next();
    this.closing.complete();
    for (const subject of this.units.values()) subject.complete();
    this.units.clear();
  }

  private receive(payload: string): void {
    const change = parseInboxChange(payload);
    if (change) this.publish(change);
    else this.logger.warn({ msg: 'ignored a malformed inbox change', channel: INBOX_CHANNEL });
  }
}

/** An {@link InboxChange} from a NOTIFY payload, or undefined when it is not one. */
export function parseInboxChange(payload: string): InboxChange | undefined {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { unitId, reason, kind, caseNo, at } = value as Record<string, unknown>;
  if (typeof unitId !== 'string' || unitId === '') return undefined;
  if (reason !== 'notification' && reason !== 'tasks' && reason !== 'resync') return undefined;
  return {
    unitId,
    reason,
    ...(typeof kind === 'string' && (NOTIFICATION_KINDS as readonly string[]).includes(kind)
      ? { kind: kind as InboxChange['kind'] }
      : {}),
    ...(typeof caseNo === 'string' ? { caseNo } : {}),
    at: typeof at === 'string' ? at : new Date().toISOString(),
  };
}
