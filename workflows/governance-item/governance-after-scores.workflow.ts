import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { ParentClosePolicy, proxyActivities, startChild } from '@temporalio/workflow';
import type { GovernanceActivities } from '../../activities/governance.activities';
import { governanceItem } from './governance-item.workflow';

const { openGovernanceAfterRun } = proxyActivities<GovernanceActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '2 seconds', maximumAttempts: 10 },
});

/**
 * What a completed score run leads to: stores the month's rectification items (the definition's `scoring.bottomN`
 * bottom units) and proactive items (hotspots past `scoring.proactive`), then starts each item's workflow
 * (`governance-<id>`), which outlives this one. Items already running are left as they are, so a later run of the
 * same month, or a retry, opens nothing twice. Answers the ids of the items it started.
 */
export async function governanceAfterScores(input: { runId: string }): Promise<string[]> {
  const items = await openGovernanceAfterRun({ runId: input.runId });
  const started: string[] = [];
  for (const item of items) {
    try {
      await startChild(governanceItem, {
        workflowId: `governance-${item.spec.itemId}`,
        args: [item],
        parentClosePolicy: ParentClosePolicy.ABANDON,
      });
      started.push(item.spec.itemId);
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
  }
  return started;
}
