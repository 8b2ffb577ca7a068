import { defineQuery } from '@temporalio/workflow';
import type { CaseFacts, CaseStage, CaseStatus } from '../../libs/domain/src/case/case.types';

/** Workflow type name of a case. Recorded in histories: never rename. */
export const COMPLAINT_CASE_WORKFLOW = 'complaintCase';

/** Input of the `complaintCase` workflow: one case, identified by its case number. */
export interface ComplaintCaseInput {
  caseNo: string;
  /** ISO-8601 instant the API accepted the request. */
  receivedAt: string;
  /** Process definition version the case is pinned to. */
  rulesVersion: string;
  facts: CaseFacts;
}

/** One step of the case's path through the process, as the workflow saw it. */
export interface StageEntry {
  stage: CaseStage;
  status: CaseStatus;
  /** ISO-8601 workflow time the case entered the stage. */
  at: string;
}

/** Live state of a case, answered by {@link caseStateQuery}. Holds no citizen personal data. */
export interface CaseSnapshot {
  caseNo: string;
  status: CaseStatus;
  stage: CaseStage;
  rulesVersion: string;
  facts: CaseFacts;
  stages: StageEntry[];
}

/** Live state of the case (status, stage, the stages passed). Read-only. */
export const caseStateQuery = defineQuery<CaseSnapshot>('caseState');
