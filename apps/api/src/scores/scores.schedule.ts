import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import {
  Client,
  ScheduleAlreadyRunning,
  ScheduleDescription,
  ScheduleOptions,
  ScheduleOverlapPolicy,
  ScheduleSpec,
} from '@temporalio/client';
import type { monthlyScores } from '../../../../workflows/monthly-scores/monthly-scores.workflow';
import {
  MONTHLY_SCORES_SCHEDULE_ID,
  MONTHLY_SCORES_WORKFLOW,
  MonthlyScoresInput,
  SCHEDULED_SCORES_WORKFLOW_ID,
} from '../../../../workflows/monthly-scores/messages';
import { TemporalSettings } from '../temporal/temporal.module';

/** The time zone score months are counted in, and the schedule fires in. */
export const SCORES_TIME_ZONE = 'Asia/Shanghai';

/** 02:00 Asia/Shanghai on the 1st of each month: the month before is complete and nobody is at work. */
export const MONTHLY_SCORES_SPEC: ScheduleSpec = {
  calendars: [{ comment: 'score the month before', dayOfMonth: 1, hour: 2, minute: 0 }],
  timezone: SCORES_TIME_ZONE,
};

/**
 * The schedule: start `monthlyScores({ trigger: 'schedule' })` on the case task queue; skip a firing while the
 * previous run still runs; catch up on firings missed during an outage of up to 7 days (later: run it on demand).
 */
export function monthlyScoresScheduleOptions(
  taskQueue: string,
  scheduleId = MONTHLY_SCORES_SCHEDULE_ID,
): ScheduleOptions {
  const input: MonthlyScoresInput = { trigger: 'schedule' };
  return {
    scheduleId,
    spec: MONTHLY_SCORES_SPEC,
    action: {
      type: 'startWorkflow',
      workflowType: MONTHLY_SCORES_WORKFLOW,
      workflowId: SCHEDULED_SCORES_WORKFLOW_ID,
      taskQueue,
      args: [input],
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '7 days', pauseOnFailure: false },
  };
}

/** Whether a described schedule already does what {@link monthlyScoresScheduleOptions} asks. */
export function scheduleMatches(description: ScheduleDescription, taskQueue: string): boolean {
  const calendars = description.spec.calendars ?? [];
  const only = (ranges: { start: unknown; end: unknown }[], value: unknown) =>
    ranges.length === 1 && ranges[0].start === value && ranges[0].end === value;
  return (
    description.action.type === 'startWorkflow' &&
    description.action.workflowType === MONTHLY_SCORES_WORKFLOW &&
    description.action.taskQueue === taskQueue &&
    description.spec.timezone === SCORES_TIME_ZONE &&
    (description.spec.intervals ?? []).length === 0 &&
    calendars.length === 1 &&
    only(calendars[0].dayOfMonth, 1) &&
    only(calendars[0].hour, 2) &&
    only(calendars[0].minute, 0) &&
    only(calendars[0].second, 0) &&
    description.policies.overlap === ScheduleOverlapPolicy.SKIP
  );
}

/**
 * Creates the monthly scores schedule, or brings an existing one back to this spec and task queue. Safe to call
 * from every API instance at every start: `created`, `updated` or `unchanged`.
 */
export async function ensureMonthlyScoresSchedule(
  client: Client,
  taskQueue: string,
  scheduleId = MONTHLY_SCORES_SCHEDULE_ID,
): Promise<'created' | 'updated' | 'unchanged'> {
  const options = monthlyScoresScheduleOptions(taskQueue, scheduleId);
  try {
    await client.schedule.create(options);
    return 'created';
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
  }
  const handle = client.schedule.getHandle(scheduleId);
  if (scheduleMatches(await handle.describe(), taskQueue)) return 'unchanged';
  await handle.update<typeof monthlyScores>((previous) => ({
    ...previous,
    spec: options.spec,
    action: { ...options.action, args: [{ trigger: 'schedule' }] },
    policies: { ...previous.policies, ...options.policies },
  }));
  return 'updated';
}

const RETRY_MS = 30_000;

/**
 * Makes sure the monthly scores schedule exists once the API has started, without holding the start up: the API
 * serves while Temporal is unreachable, and the schedule is retried every 30 s until it is in place.
 */
@Injectable()
export class ScoresScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ScoresScheduler.name);
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly client: Client,
    private readonly temporal: TemporalSettings,
  ) {}

  onApplicationBootstrap(): void {
    void this.attempt();
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private async attempt(): Promise<void> {
    if (this.stopped) return;
    try {
      const result = await ensureMonthlyScoresSchedule(this.client, this.temporal.taskQueue);
      if (result !== 'unchanged') this.logger.log(`schedule ${MONTHLY_SCORES_SCHEDULE_ID} ${result}`);
    } catch (error) {
      if (this.stopped) return;
      this.logger.warn(`schedule ${MONTHLY_SCORES_SCHEDULE_ID} not in place yet: ${(error as Error).message}`);
      this.timer = setTimeout(() => void this.attempt(), RETRY_MS);
      this.timer.unref();
    }
  }
}
