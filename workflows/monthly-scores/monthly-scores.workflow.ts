import {
  ActivityFailure,
  ApplicationFailure,
  ParentClosePolicy,
  patched,
  proxyActivities,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import type { ScoreActivities } from '../../activities/scores.activities';
import { isScoreMonth, previousMonth } from '../../libs/domain/src/scores/month';
import type { MonthlyScoresInput, MonthlyScoresResult } from './messages';
import { governanceAfterScores } from '../governance-item/governance-after-scores.workflow';

const { openScoreRun, failScoreRun } = proxyActivities<ScoreActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', maximumAttempts: 10 },
});

// Loading, computing and storing a month happen in one activity: a month's facts (hundreds of thousands of cases in
// a large city) are far more than a workflow history should carry, and the stored run keeps them anyway.
const { computeScoreRun } = proxyActivities<ScoreActivities>({
  startToCloseTimeout: '30 minutes',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 3, maximumAttempts: 5 },
});

/**
 * One score run (三率): opens a run for the month, loads the month's case facts, computes every unit's rates, score
 * and rank with the pure `computeScores`, and stores the figures with their inputs (`score_runs` and its tables). A
 * later run of the same month supersedes this one; nothing is overwritten.
 *
 * Started monthly by the Temporal Schedule `shaosheng-monthly-scores` (no month: the month before the workflow's
 * start in Asia/Shanghai) and on demand through `POST /api/v1/scores/runs`. A run that cannot be computed is
 * marked `failed` with the reason, and the workflow fails.
 */
export async function monthlyScores(input: MonthlyScoresInput): Promise<MonthlyScoresResult> {
  // Workflow time: deterministic on replay, and the schedule's fire time (02:00 on the 1st) for scheduled runs.
  const month = input.month ?? previousMonth(new Date());
  if (!isScoreMonth(month)) {
    throw ApplicationFailure.nonRetryable(`month must be 'YYYY-MM', got ${JSON.stringify(month)}`, 'InvalidMonth');
  }
  const run = await openScoreRun({
    workflowId: workflowInfo().workflowId,
    month,
    trigger: input.trigger,
    requestedBy: input.requestedBy,
  });
  let result: MonthlyScoresResult;
  try {
    result = await computeScoreRun({ runId: run.runId });
  } catch (error) {
    const reason = error instanceof ActivityFailure && error.cause ? error.cause.message : (error as Error).message;
    await failScoreRun({ runId: run.runId, error: reason });
    throw ApplicationFailure.nonRetryable(`score run ${run.runId} of ${month} failed: ${reason}`, 'ScoreRunFailed');
  }
  // 限期整改 and 未诉先办: a completed run opens its governance items in a workflow of its own, which outlives this one.
  if (result.status === 'completed' && patched('governance-after-scores')) {
    await startChild(governanceAfterScores, {
      workflowId: `governance-after-${run.runId}`,
      args: [{ runId: run.runId }],
      parentClosePolicy: ParentClosePolicy.ABANDON,
    });
  }
  return result;
}
