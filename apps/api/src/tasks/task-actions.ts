import type { CaseAction } from '../../../../libs/domain/src/lifecycle/lifecycle.types';
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
 * The actions that end, or move on, each step (open-tasks.ts names the steps). A handler's `contact` task also
 * takes what the lifecycle allows before contact (return, whistle, escalate, an extension); `handle` takes
 * everything a handling unit does. Coordination steps are `coordinate-<level>`.
 */
const STEP_ACTIONS: Readonly<Record<string, readonly TaskActionName[]>> = {
  sign: ['sign', 'return'],
  contact: ['contact', 'return', 'whistle', 'escalate', 'extension-request'],
  handle: ['reply', 'extension-request', 'suspend', 'whistle', 'escalate', 'return'],
  resume: ['resume'],
  'extension-decision': ['extension-decision'],
  review: ['review'],
  callback: ['callback'],
  redispatch: ['redispatch'],
  coordinate: ['coordinate'],
};

/** The actions a task of `step` accepts (none for a step this API does not know). */
export function actionsForStep(step: string): readonly TaskActionName[] {
  return STEP_ACTIONS[step.startsWith('coordinate-') ? 'coordinate' : step] ?? [];
}

/** True when `name` is a case action a task can take at all. */
export function isTaskAction(name: string): name is TaskActionName {
  return Object.prototype.hasOwnProperty.call(TASK_ACTIONS, name);
}
