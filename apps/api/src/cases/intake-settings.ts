import { AppConfig, loadConfig } from '../../../../libs/platform/src/config/app-config';

/** How often stored submissions whose workflow has not started are looked for, in milliseconds. */
export const INTAKE_RETRY_MS = 15_000;

/**
 * What intake's admission control runs with, resolved once at boot from the environment (docs/operations.md,
 * "Intake under load"); also its injection token.
 */
export class IntakeSettings {
  /** Workflow starts in flight at once (`INTAKE_START_CONCURRENCY`, default 8). */
  concurrency: number;
  /**
   * Keys held in the start queue (`INTAKE_QUEUE_LIMIT`, default 1 000). Past it a submission is stored and answered
   * 202 at once; the queue is refilled from the stored rows.
   */
  queueLimit: number;
  /** The longest a POST waits for its own start, in ms (`INTAKE_START_WAIT_MS`, default 3 000); past it: 202. */
  waitMs: number;
  /**
   * A POST waits for its own start only while the recent starts were quick: when their moving average (from queueing
   * to started) exceeds this many ms (`INTAKE_START_FAST_MS`, default 250), it answers 202 at once instead.
   */
  fastStartMs: number;
  /**
   * A POST does not wait at all when more starts than this are under way or queued ahead of it
   * (`INTAKE_START_WAIT_AHEAD`, default 0: it waits only when intake is idle).
   */
  waitQueueLimit: number;
  /** How often the stored rows are swept for starts that are not under way, in ms. */
  retryMs: number;
}

/** The settings of the configuration (default: the environment's). */
export function intakeSettings(config: Pick<AppConfig, 'intake'> = loadConfig()): IntakeSettings {
  const { startConcurrency, queueLimit, startWaitMs, fastStartMs, waitAhead } = config.intake;
  return {
    concurrency: startConcurrency,
    queueLimit,
    waitMs: startWaitMs,
    fastStartMs,
    waitQueueLimit: waitAhead,
    retryMs: INTAKE_RETRY_MS,
  };
}
