import {
  CASE_ACTION_BODIES,
  CaseActionName,
  WHISTLE_ACTION_BODIES,
  WhistleActionName,
} from '../cases/case-action.bodies';

/**
 * The actions that end, or move on, each step (open-tasks.ts and open-whistle-tasks.ts name the steps). A
 * handler's `contact` task also takes what the lifecycle allows before contact (return, whistle, escalate, an
 * extension); `handle` takes everything a handling unit does. Coordination steps are `coordinate-<level>`.
 */
const STEP_ACTIONS: Readonly<Record<string, readonly (CaseActionName | WhistleActionName)[]>> = {
  sign: ['sign', 'return'],
  contact: ['contact', 'return', 'whistle', 'escalate', 'extension-request'],
  handle: ['reply', 'extension-request', 'suspend', 'whistle', 'escalate', 'return'],
  resume: ['resume'],
  'extension-decision': ['extension-decision'],
  review: ['review'],
  callback: ['callback'],
  'audit-callback': ['audit-callback'],
  'accountability-decision': ['accountability-decision'],
  redispatch: ['redispatch'],
  coordinate: ['coordinate'],
  'co-unit-report': ['co-unit-report'],
  'whistle-report': ['report'],
  'whistle-result': ['result'],
  'whistle-confirm': ['confirm'],
  'whistle-rating': ['rate'],
};

/** The actions a task of `step` accepts (none for a step this API does not know). */
export function actionsForStep(step: string): readonly (CaseActionName | WhistleActionName)[] {
  return STEP_ACTIONS[step.startsWith('coordinate-') ? 'coordinate' : step] ?? [];
}

/** True when `name` is a case action a task can take at all. */
export function isTaskAction(name: string): name is CaseActionName {
  return Object.prototype.hasOwnProperty.call(CASE_ACTION_BODIES, name);
}

/** True when `name` is a whistle-round action a task can take at all. */
export function isWhistleTaskAction(name: string): name is WhistleActionName {
  return Object.prototype.hasOwnProperty.call(WHISTLE_ACTION_BODIES, name);
}
