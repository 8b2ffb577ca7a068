import type { CaseAction } from '../../../../libs/domain/src/lifecycle/lifecycle.types';
import type { WhistleAction } from '../../../../libs/domain/src/whistle/whistle.types';
import {
  CallbackDto,
  ContactDto,
  CoordinateDto,
  ExtensionDecisionDto,
  ExtensionRequestDto,
  ReasonDto,
  RedispatchDto,
  ReplyDto,
  ReviewDto,
  WhistleDto,
  WhistleRatingDto,
  WhistleReportDto,
  WhistleResultDto,
} from '../cases/case-action.dto';

/** A case action as `POST /api/v1/tasks/:id/actions/<name>` takes it: the case action's body DTO and its mapping. */
export interface TaskActionSpec {
  /** The class the body is validated against (the same as `POST /api/v1/cases/:caseNo/<name>`); none: no body. */
  body?: new () => object;
  toAction(body: never): CaseAction;
}

/** Every case action a task can lead to, by its URL name (the case action's path segment). */
export const TASK_ACTIONS = {
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
  suspend: { body: ReasonDto, toAction: (b: ReasonDto): CaseAction => ({ type: 'suspend', reason: b.reason }) },
  resume: { body: ReasonDto, toAction: (b: ReasonDto): CaseAction => ({ type: 'resume', reason: b.reason }) },
  whistle: {
    body: WhistleDto,
    toAction: (b: WhistleDto): CaseAction => ({
      type: 'whistle',
      departmentIds: b.departmentIds,
      grade: b.grade,
      reason: b.reason,
    }),
  },
  escalate: { body: ReasonDto, toAction: (b: ReasonDto): CaseAction => ({ type: 'escalate', reason: b.reason }) },
  coordinate: {
    body: CoordinateDto,
    toAction: (b: CoordinateDto): CaseAction => ({
      type: 'coordinate',
      instruction: b.instruction,
      reassignTo: b.reassignTo,
    }),
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
} satisfies Record<string, TaskActionSpec>;

export type TaskActionName = keyof typeof TASK_ACTIONS;

/**
 * A whistle-round action as a task of the round takes it: the body DTO of the matching `POST
 * /api/v1/cases/:caseNo/whistle-rounds/:round/…` route and its mapping. The round comes from the task, not the body.
 */
export interface WhistleTaskActionSpec {
  body: new () => object;
  toAction(body: never): WhistleAction;
}

/** Every whistle-round action a task can lead to, by its URL name under `POST /api/v1/tasks/:id/actions/`. */
export const WHISTLE_TASK_ACTIONS = {
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
    }),
  },
} satisfies Record<string, WhistleTaskActionSpec>;

export type WhistleTaskActionName = keyof typeof WHISTLE_TASK_ACTIONS;

/**
 * The actions that end, or move on, each step (open-tasks.ts and open-whistle-tasks.ts name the steps). A
 * handler's `contact` task also takes what the lifecycle allows before contact (return, whistle, escalate, an
 * extension); `handle` takes everything a handling unit does. Coordination steps are `coordinate-<level>`.
 */
const STEP_ACTIONS: Readonly<Record<string, readonly (TaskActionName | WhistleTaskActionName)[]>> = {
  sign: ['sign', 'return'],
  contact: ['contact', 'return', 'whistle', 'escalate', 'extension-request'],
  handle: ['reply', 'extension-request', 'suspend', 'whistle', 'escalate', 'return'],
  resume: ['resume'],
  'extension-decision': ['extension-decision'],
  review: ['review'],
  callback: ['callback'],
  redispatch: ['redispatch'],
  coordinate: ['coordinate'],
  'whistle-report': ['report'],
  'whistle-result': ['result'],
  'whistle-rating': ['rate'],
};

/** The actions a task of `step` accepts (none for a step this API does not know). */
export function actionsForStep(step: string): readonly (TaskActionName | WhistleTaskActionName)[] {
  return STEP_ACTIONS[step.startsWith('coordinate-') ? 'coordinate' : step] ?? [];
}

/** True when `name` is a case action a task can take at all. */
export function isTaskAction(name: string): name is TaskActionName {
  return Object.prototype.hasOwnProperty.call(TASK_ACTIONS, name);
}

/** True when `name` is a whistle-round action a task can take at all. */
export function isWhistleTaskAction(name: string): name is WhistleTaskActionName {
  return Object.prototype.hasOwnProperty.call(WHISTLE_TASK_ACTIONS, name);
}
