import type { AppConfig } from '../../../../libs/platform/src/config/app-config';
import type { NotificationSender } from './notification-sender';

/** What the notifications module runs with, resolved once at boot; also its injection token. */
export class NotificationSettings {
  /** Where the dedicated LISTEN connection goes (the API's own database). */
  readonly databaseUrl: string;
  /**
   * How often the dispatcher looks for due rows, in ms (`NOTIFICATIONS_POLL_INTERVAL_MS`). New rows also wake it at
   * once (NOTIFY), so this bounds retries and anything a lost connection missed. 0: it never polls on its own (only
   * calls of `OutboxDispatcher.poll`, as tests make).
   */
  readonly pollIntervalMs: number;
  /** Rows claimed per transaction. */
  readonly batchSize: number;
  /** Delay before the first retry, in ms; doubled per further failure up to {@link retryCapMs}. */
  readonly retryBaseMs: number;
  readonly retryCapMs: number;
  /** A send that has not settled after this long counts as failed (and is retried: at least once). */
  readonly sendTimeoutMs: number;
  /** How often an idle inbox-events stream sends a `heartbeat` event, in ms (keeps proxies from closing it). */
  readonly heartbeatMs: number;
}

/** Optional overrides (tests, embedders): any setting, and the sender instance to use instead of the logging one. */
export type NotificationOptions = Partial<Omit<NotificationSettings, 'databaseUrl'>> & { sender?: NotificationSender };

/** Defaults of everything `NOTIFICATIONS_POLL_INTERVAL_MS` does not set. */
export const NOTIFICATION_DEFAULTS: Omit<NotificationSettings, 'databaseUrl' | 'pollIntervalMs'> = {
  batchSize: 50,
  retryBaseMs: 10_000,
  retryCapMs: 3_600_000,
  sendTimeoutMs: 10_000,
  heartbeatMs: 15_000,
};

/**
 * The settings for `databaseUrl`: the overrides given, else the configuration (only `pollIntervalMs` comes from the
 * environment; `config` is read only when it is not overridden), else the defaults.
 */
export function resolveNotificationSettings(
  databaseUrl: string,
  overrides: Partial<Omit<NotificationSettings, 'databaseUrl'>>,
  config: () => AppConfig,
): NotificationSettings {
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined));
  return {
    ...NOTIFICATION_DEFAULTS,
    pollIntervalMs: overrides.pollIntervalMs ?? config().notifications.pollIntervalMs,
    ...defined,
    databaseUrl,
  };
}

/**
 * How long to wait before retrying a notification that has now failed `attempts` times (≥ 1): `baseMs`, doubled per
 * further failure, never more than `capMs`.
 */
export function retryDelayMs(attempts: number, baseMs: number, capMs: number): number {
  const exponent = Math.max(0, attempts - 1);
  // 2^31 already exceeds any sensible cap; stop doubling before the number loses meaning.
  return Math.min(capMs, baseMs * 2 ** Math.min(exponent, 31));
}
