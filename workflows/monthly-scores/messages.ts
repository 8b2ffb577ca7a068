import type { ScoreRunSummary } from '../../activities/scores.activities';
import type { ScoreMonth, ScoreTrigger } from '../../libs/domain/src/scores/score.types';

/** Workflow type name of a score run. Recorded in histories and in the schedule: never rename. */
export const MONTHLY_SCORES_WORKFLOW = 'monthlyScores';

/** Id of the Temporal Schedule that scores the previous month at 02:00 Asia/Shanghai on the 1st of each month. */
export const MONTHLY_SCORES_SCHEDULE_ID = 'shaosheng-monthly-scores';

/** Workflow id of the schedule's action; Temporal appends each action's timestamp, so every run has its own id. */
export const SCHEDULED_SCORES_WORKFLOW_ID = 'monthly-scores';

/** Workflow id of an on-demand run: the month and a caller-chosen unique suffix (a UUID). */
export function onDemandScoresWorkflowId(month: ScoreMonth, suffix: string): string {
  return `monthly-scores-${month}-on-demand-${suffix}`;
}

/** Input of the `monthlyScores` workflow. */
export interface MonthlyScoresInput {
  /** `YYYY-MM` (Asia/Shanghai); absent: the month before the workflow's start (what the schedule wants). */
  month?: ScoreMonth;
  trigger: ScoreTrigger;
  /** User id of whoever asked for an on-demand run; recorded on the run. */
  requestedBy?: string;
}

/** What a finished run reports: its id in `score_runs`, its month and status, how many cases and units. */
export type MonthlyScoresResult = ScoreRunSummary;
