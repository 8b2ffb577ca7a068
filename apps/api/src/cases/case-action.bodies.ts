import type { CaseAction } from '../../../../libs/domain/src/lifecycle/lifecycle.types';
import type { WhistleAction } from '../../../../libs/domain/src/whistle/whistle.types';
import {
  AccountabilityDecisionDto,
  CallbackDto,
  ContactDto,
  CoordinateDto,
  ExtensionDecisionDto,
  ExtensionRequestDto,
  ReasonDto,
  SuspendDto,
  RedispatchDto,
  ReplyDto,
  ReportPartDto,
  ReviewDto,
  WhistleConfirmationDto,
  WhistleDto,
  WhistleRatingDto,
  WhistleReportDto,
  WhistleResultDto,
} from './case-action.dto';

/** A case action as the HTTP API takes it: the body DTO (validated by the global pipe) and its mapping to the action. */
export interface CaseActionBody {
  /** The class the body is validated against; none: the action takes no body. */
  body?: new () => object;
  toAction(body: never): CaseAction;
}

/**
 * Every case action by its URL name (`POST /api/v1/cases/:caseNo/<name>`, and `POST /api/v1/tasks/:id/actions/<name>`):
 * one mapping from request body to action, used by both routes.
 */
export const CASE_ACTION_BODIES = {
  sign: { toAction: (): CaseAction => ({ type: 'sign' }) },
  return: { body: ReasonDto, toAction: (b: ReasonDto): CaseAction => ({ type: 'return', reason: b.reason }) },
  redispatch: {
    body: RedispatchDto,
    toAction: (b: RedispatchDto): CaseAction => ({
      type: 'redispatch',
      leadUnitId: b.leadUnitId,
      arbitrated: b.arbitrated,
      reason: b.reason,
    }),
  },
  contact: { body: ContactDto, toAction: (b: ContactDto): CaseAction => ({ type: 'contact', note: b.note }) },
  'extension-request': {
    body: ExtensionRequestDto,
    toAction: (b: ExtensionRequestDto): CaseAction => ({
      type: 'requestExtension',
      workingDays: b.workingDays,
      reason: b.reason,
    }),
  },
  'extension-decision': {
    body: ExtensionDecisionDto,
    toAction: (b: ExtensionDecisionDto): CaseAction => ({
      type: 'decideExtension',
      approved: b.approved,
      reason: b.reason,
    }),
  },
  suspend: {
    body: SuspendDto,
    toAction: (b: SuspendDto): CaseAction => ({
      type: 'suspend',
      reason: b.reason,
      ...(b.reasonId === undefined ? {} : { reasonId: b.reasonId }),
    }),
  },
  resume: { body: ReasonDto, toAction: (b: ReasonDto): CaseAction => ({ type: 'resume', reason: b.reason }) },
  whistle: {
    body: WhistleDto,
    toAction: (b: WhistleDto): CaseAction => ({
      type: 'whistle',
      departmentIds: b.departmentIds,
      grade: b.grade,
      reason: b.reason,
      ...(b.trigger === undefined ? {} : { trigger: b.trigger }),
      ...(b.whistleType === undefined ? {} : { whistleType: b.whistleType }),
    }),
  },
  escalate: { body: ReasonDto, toAction: (b: ReasonDto): CaseAction => ({ type: 'escalate', reason: b.reason }) },
  coordinate: {
    body: CoordinateDto,
    toAction: (b: CoordinateDto): CaseAction => ({
      type: 'coordinate',
      instruction: b.instruction,
      reassignTo: b.reassignTo,
      ...(b.convene ? { convene: b.convene } : {}),
      ...(b.decision !== undefined ? { decision: b.decision } : {}),
    }),
  },
  'co-unit-report': {
    body: ReportPartDto,
    toAction: (b: ReportPartDto): CaseAction => ({ type: 'reportPart', summary: b.summary }),
  },
  reply: {
    body: ReplyDto,
    toAction: (b: ReplyDto): CaseAction => ({ type: 'reply', result: b.result, summary: b.summary }),
  },
  review: {
    body: ReviewDto,
    toAction: (b: ReviewDto): CaseAction => ({ type: 'review', accepted: b.accepted, reason: b.reason }),
  },
  callback: {
    body: CallbackDto,
    toAction: (b: CallbackDto): CaseAction => ({
      type: 'callback',
      reached: b.reached,
      solved: b.solved,
      satisfaction: b.satisfaction,
      note: b.note,
    }),
  },
  'audit-callback': {
    body: CallbackDto,
    toAction: (b: CallbackDto): CaseAction => ({
      type: 'auditCallback',
      reached: b.reached,
      solved: b.solved,
      satisfaction: b.satisfaction,
      note: b.note,
    }),
  },
  'accountability-decision': {
    body: AccountabilityDecisionDto,
    toAction: (b: AccountabilityDecisionDto): CaseAction => ({
      type: 'decideAccountability',
      responsible: b.responsible,
      decision: b.decision,
    }),
  },
} satisfies Record<string, CaseActionBody>;

export type CaseActionName = keyof typeof CASE_ACTION_BODIES;

/** A whistle-round action as the HTTP API takes it: the body DTO and its mapping. The round comes from the URL or task. */
export interface WhistleActionBody {
  body: new () => object;
  toAction(body: never): WhistleAction;
}

/** Every whistle-round action by its URL name (`…/whistle-rounds/:round/<name>`, `POST /api/v1/tasks/:id/actions/<name>`). */
export const WHISTLE_ACTION_BODIES = {
  report: {
    body: WhistleReportDto,
    toAction: (b: WhistleReportDto): WhistleAction => ({ type: 'report', note: b.note }),
  },
  result: {
    body: WhistleResultDto,
    toAction: (b: WhistleResultDto): WhistleAction => ({ type: 'result', summary: b.summary }),
  },
  rate: {
    body: WhistleRatingDto,
    toAction: (b: WhistleRatingDto): WhistleAction => ({
      type: 'rate',
      departmentId: b.departmentId,
      score: b.score,
      comment: b.comment,
      ...(b.veto === undefined ? {} : { veto: b.veto }),
    }),
  },
  confirm: {
    body: WhistleConfirmationDto,
    toAction: (b: WhistleConfirmationDto): WhistleAction => ({
      type: 'confirm',
      departmentId: b.departmentId,
      done: b.done,
      ...(b.note === undefined ? {} : { note: b.note }),
    }),
  },
} satisfies Record<string, WhistleActionBody>;

export type WhistleActionName = keyof typeof WHISTLE_ACTION_BODIES;
