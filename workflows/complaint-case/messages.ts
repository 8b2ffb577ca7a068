import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CaseFacts, CaseStage, CaseStatus } from '../../libs/domain/src/case/case.types';
import type { IntakeDirections } from '../../libs/domain/src/intake/intake';
import type { CasePriority } from '../../libs/domain/src/lifecycle/case-lifecycle';
import type { LifecycleState } from '../../libs/domain/src/lifecycle/case-lifecycle';
import type { Actor, CaseAction, LifecycleRules } from '../../libs/domain/src/lifecycle/lifecycle.types';

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
  /** What the operator established at intake (emergency, inadmissible, answered on the spot); absent: dispatch. */
  intake?: IntakeDirections;
  /** The open case this one duplicates but adds new facts to; the two are linked. */
  linkedTo?: string;
  /**
   * The lifecycle rules of the process definition version the case is pinned to (`rulesVersion`); absent: the
   * `beijing` preset's rules (cases started before versioned definitions).
   */
  rules?: LifecycleRules;
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
  /** Dispatch, deadlines, escalation, reply and call-back; absent before dispatch (and in intake-only cases). */
  lifecycle?: LifecycleState;
}

/** Live state of the case (status, stage, the stages passed, the lifecycle). Read-only. */
export const caseStateQuery = defineQuery<CaseSnapshot>('caseState');

/**
 * Arguments of every case action: the action and who takes it. The actor comes from the authenticated request
 * (never from a request body) and is recorded in the Update's history event.
 */
export interface CaseActionRequest<A extends CaseAction = CaseAction> {
  actor: Actor;
  action: A;
}

type ActionOf<T extends CaseAction['type']> = CaseActionRequest<Extract<CaseAction, { type: T }>>;

// Each human action is an Update with a validator: a refused action is a synchronous error with a reason code.
// Wire names are recorded in histories: never rename them.
export const signCaseUpdate = defineUpdate<CaseSnapshot, [ActionOf<'sign'>]>('signCase');
export const returnCaseUpdate = defineUpdate<CaseSnapshot, [ActionOf<'return'>]>('returnCase');
export const redispatchCaseUpdate = defineUpdate<CaseSnapshot, [ActionOf<'redispatch'>]>('redispatchCase');
export const contactCitizenUpdate = defineUpdate<CaseSnapshot, [ActionOf<'contact'>]>('contactCitizen');
export const requestExtensionUpdate = defineUpdate<CaseSnapshot, [ActionOf<'requestExtension'>]>('requestExtension');
export const decideExtensionUpdate = defineUpdate<CaseSnapshot, [ActionOf<'decideExtension'>]>('decideExtension');
export const replyCaseUpdate = defineUpdate<CaseSnapshot, [ActionOf<'reply'>]>('replyCase');
export const reviewReplyUpdate = defineUpdate<CaseSnapshot, [ActionOf<'review'>]>('reviewReply');
export const recordCallbackUpdate = defineUpdate<CaseSnapshot, [ActionOf<'callback'>]>('recordCallback');
export const escalateCaseUpdate = defineUpdate<CaseSnapshot, [ActionOf<'escalate'>]>('escalateCase');
export const suspendCaseUpdate = defineUpdate<CaseSnapshot, [ActionOf<'suspend'>]>('suspendCase');
export const resumeCaseUpdate = defineUpdate<CaseSnapshot, [ActionOf<'resume'>]>('resumeCase');
export const whistleCaseUpdate = defineUpdate<CaseSnapshot, [ActionOf<'whistle'>]>('whistleCase');
export const coordinateCaseUpdate = defineUpdate<CaseSnapshot, [ActionOf<'coordinate'>]>('coordinateCase');
/** Moves the case to a newer process definition version (a designer's explicit migration); recomputes deadlines. */
export const migrateRulesUpdate = defineUpdate<CaseSnapshot, [ActionOf<'migrateRules'>]>('migrateRules');

/** Moves the case's running deadlines to the calendar version in force (a designer's explicit act); audited. */
export const recalendarCaseUpdate = defineUpdate<CaseSnapshot, [ActionOf<'recalendar'>]>('recalendarCase');

/** A co-unit reports its part to the lead unit. */
export const reportCoUnitPartUpdate = defineUpdate<CaseSnapshot, [ActionOf<'reportPart'>]>('reportCoUnitPart');

/** The accountability body decides whether the unit is responsible (the Suyu model); the case closes on the record. */
export const decideAccountabilityUpdate = defineUpdate<CaseSnapshot, [ActionOf<'decideAccountability'>]>(
  'decideAccountability',
);
/** The service centre's audit call-back (民意访评) of a closed case sampled for one. */
export const recordAuditCallbackUpdate = defineUpdate<CaseSnapshot, [ActionOf<'auditCallback'>]>('recordAuditCallback');

/** Every case action's Update, by action type. */
export const CASE_ACTION_UPDATES = {
  sign: signCaseUpdate,
  return: returnCaseUpdate,
  redispatch: redispatchCaseUpdate,
  contact: contactCitizenUpdate,
  requestExtension: requestExtensionUpdate,
  decideExtension: decideExtensionUpdate,
  reply: replyCaseUpdate,
  review: reviewReplyUpdate,
  callback: recordCallbackUpdate,
  decideAccountability: decideAccountabilityUpdate,
  auditCallback: recordAuditCallbackUpdate,
  escalate: escalateCaseUpdate,
  suspend: suspendCaseUpdate,
  resume: resumeCaseUpdate,
  whistle: whistleCaseUpdate,
  coordinate: coordinateCaseUpdate,
  migrateRules: migrateRulesUpdate,
  recalendar: recalendarCaseUpdate,
  reportPart: reportCoUnitPartUpdate,
} as const;

/** A citizen reported the same matter again (a duplicate linked to this open case). */
export interface RepeatContact {
  /** Repeat contacts of the case including this one. */
  repeatCount: number;
  priority: CasePriority;
  /** Present when the repeats alone call for supervision. */
  supervision?: 'daily';
  matchedBy: 'address' | 'radius' | 'grid';
  /** The new case opened for the repeat's new facts, if any. */
  caseNo?: string;
}

/** A fact, not a request: the case records the repeat contact, raises its priority, maybe its supervision. */
export const repeatContactSignal = defineSignal<[RepeatContact]>('repeatContact');

/** The error type of a refused action; its message starts with the refusal code (e.g. `WrongUnit: …`). */
export const ACTION_REFUSED = 'CaseActionRefused';

/**
 * The failure type of a mirror write PostgreSQL refused for its content; the workflow raises an incident and goes on.
 * Must equal `MIRROR_REJECTED` of activities/lifecycle.activities.ts (a spec checks it).
 */
export const MIRROR_REJECTED = 'MirrorRejected';

/** Retry every mirror write of the case that raised an incident (sent by the API after a fix). */
export const retryIncidentsSignal = defineSignal('retryIncidents');

/** An admin resolved the incident `key`: the failed write is dropped (the API closes the incident, audited). */
export const resolveIncidentSignal = defineSignal<[{ key: string }]>('resolveIncident');
