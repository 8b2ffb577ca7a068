import { Injectable, Logger } from '@nestjs/common';
import type { NotificationKind, NotificationPayload } from '../../../../libs/domain/src/lifecycle/notifications';

/** One outbox row as the dispatcher hands it to a {@link NotificationSender}. */
export interface OutboxNotification {
  /** The row's id (a bigint, as text). */
  id: string;
  /**
   * Unique per domain event and recipient (`<caseNo>/<stream>/<seq>/<kind>/<unitId>`). Delivery is at least once:
   * a sender that must not repeat itself downstream passes this on as its idempotency key.
   */
  eventKey: string;
  kind: NotificationKind;
  caseNo: string;
  /** The unit told; null for a row enqueued for no unit in particular (the lifecycle always names one). */
  unitId: string | null;
  /** Operational facts only; never citizen personal data (see `NotificationPayload`). */
  payload: NotificationPayload;
  /** Which attempt this is: 1 the first time, more after failures. */
  attempt: number;
  /** When the notification was enqueued (ISO 8601). */
  createdAt: string;
}

/**
 * Delivers notifications somewhere (a log, a message bus, SMS or a government messaging app). Also the injection
 * token: `{ provide: NotificationSender, useClass: … }`. `send` resolves once the notification is handed over and
 * rejects to have it retried later with backoff; it may be called again for a notification it already delivered
 * (after a crash or a timeout), so it should be idempotent by `eventKey`.
 */
export abstract class NotificationSender {
  abstract send(notification: OutboxNotification): Promise<void>;
}

/** The default sender: one structured log line per notification (kind, case, unit, key; the payload has no PII). */
@Injectable()
export class LoggingSender extends NotificationSender {
  private readonly logger = new Logger('Notifications');

  async send(notification: OutboxNotification): Promise<void> {
    this.logger.log({
      msg: 'notification',
      kind: notification.kind,
      caseNo: notification.caseNo,
      unitId: notification.unitId,
      eventKey: notification.eventKey,
      attempt: notification.attempt,
    });
  }
}
