import { proxyActivities, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { CaseActivities } from '../../activities/case.activities';
import type { CaseStage, CaseStatus } from '../../libs/domain/src/case/case.types';
import { caseSearchAttributes } from './search-attributes';
import { CaseSnapshot, caseStateQuery, ComplaintCaseInput } from './messages';

const { recordCaseIntake } = proxyActivities<CaseActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});

/**
 * One citizen request, from intake to close (接诉即办). This slice runs intake: it records the case row from the
 * stored submission and leaves the case registered, awaiting dispatch. The full lifecycle builds on it.
 */
export async function complaintCase(input: ComplaintCaseInput): Promise<CaseSnapshot> {
  const snapshot: CaseSnapshot = {
    caseNo: input.caseNo,
    status: 'registered',
    stage: 'intake',
    rulesVersion: input.rulesVersion,
    facts: input.facts,
    stages: [{ stage: 'intake', status: 'registered', at: new Date().toISOString() }],
  };
  setHandler(caseStateQuery, () => snapshot);

  const enter = (stage: CaseStage, status: CaseStatus) => {
    snapshot.stage = stage;
    snapshot.status = status;
    snapshot.stages.push({ stage, status, at: new Date().toISOString() });
    upsertSearchAttributes(caseSearchAttributes(snapshot));
  };

  upsertSearchAttributes(caseSearchAttributes(snapshot));
  await recordCaseIntake({
    caseNo: input.caseNo,
    workflowId: workflowInfo().workflowId,
    rulesVersion: input.rulesVersion,
    status: 'registered',
    stage: 'awaiting-dispatch',
  });
  enter('awaiting-dispatch', 'registered');
  return snapshot;
}
