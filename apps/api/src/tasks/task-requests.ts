import type { Actor, CaseAction } from '../../../../libs/domain/src/lifecycle/lifecycle.types';
import type { WhistleAction } from '../../../../libs/domain/src/whistle/whistle.types';
import { ApiError, ApiErrorCode } from '../common/api-error';
import { decodeCursor, InboxFilter } from './inbox-query';
import {
  CASE_ACTION_BODIES,
  CaseActionBody,
  WHISTLE_ACTION_BODIES,
  WhistleActionBody,
} from '../cases/case-action.bodies';
import { actionsForStep, isTaskAction, isWhistleTaskAction } from './task-actions';
import type { InboxQueryDto } from './tasks.dto';

/*
 * Pure translations of inbox requests into what the service runs: the filter of an inbox query, and the case or
 * whistle-round action of an action on a task. Each refuses bad input with a 400 naming the field.
 */

/** A 400 ValidationFailed naming one field and the rule it broke. */
export function invalid(field: string, rule: string, message: string): ApiError {
  return new ApiError(ApiErrorCode.ValidationFailed, 'The request is invalid', [{ field, rule, message }]);
}

/**
 * The filter of `GET /api/v1/tasks` for `query` on `unitId` (already allowed by the access rules): defaults filled
 * in, `claimedBy=me` made the caller's user id, the cursor decoded into a position.
 *
 * @throws ApiError ValidationFailed (400) for a cursor this API did not issue, or one of another sort or order.
 */
export function inboxFilterFor(query: InboxQueryDto, unitId: string, actor: Pick<Actor, 'userId'>): InboxFilter {
  const filter: InboxFilter = {
    unitId,
    status: query.status,
    role: query.role,
    step: query.step,
    category: query.category,
    dueBefore: query.dueBefore,
    overdue: query.overdue,
    escalationLevel: query.escalationLevel,
    q: query.q,
    claimedBy: query.claimedBy === 'me' ? actor.userId : undefined,
    sort: query.sort ?? 'due_at',
    order: query.order ?? 'asc',
    limit: query.limit ?? 20,
  };
  if (query.cursor !== undefined) {
    const cursor = decodeCursor(query.cursor);
    if (!cursor || cursor.sort !== filter.sort || cursor.order !== filter.order) {
      throw invalid('cursor', 'cursor', 'cursor must be the nextCursor of a page with the same sort and order');
    }
    filter.after = { key: cursor.key, id: cursor.id };
  }
  return filter;
}

/**
 * What a whistle task's key says: `<caseNo>:whistle-<round>:<step>[-<attempt>]:<departmentId>` (open-whistle-tasks.ts).
 */
export interface WhistleTaskKey {
  caseNo: string;
  /** 1-based round number within the case. */
  round: number;
  step: string;
  /** The summoned department the step is about (for a rating, the department rated, not the task's unit). */
  departmentId: string;
}

/** Reads a whistle task's key; `undefined` for any other key (a case step's key has no `whistle-<n>` segment). */
export function parseWhistleTaskKey(key: string): WhistleTaskKey | undefined {
  // A step may carry an attempt number (`whistle-confirm-2`: the confirmation after a result was sent back once).
  const match = /^([^:]+):whistle-([1-9]\d{0,5}):(whistle-[a-z]+)(?:-[1-9]\d{0,3})?:([a-z0-9][a-z0-9-]*)$/.exec(key);
  if (!match) return undefined;
  const [, caseNo, round, step, departmentId] = match;
  return { caseNo, round: Number(round), step, departmentId };
}

/** The fields of a task row an action on it needs. */
export interface ActionableTask {
  id: string;
  task_key: string;
  case_no: string;
  step: string;
}

/**
 * Where an action on a task goes: the case workflow, or one of its whistle rounds. `body` is the class the request
 * body is validated against (none: the action takes no body); `toAction` maps the validated body.
 */
export type TaskActionPlan =
  | { target: 'case'; body?: new () => object; toAction(input: unknown): CaseAction }
  | { target: 'whistle'; round: number; body: new () => object; toAction(input: unknown): WhistleAction };

/**
 * The plan for acting on `task` with the action `name`. A whistle task's round comes from its key; a rating or a
 * confirmation is of the department its key names, so a body naming another is refused.
 *
 * @throws ApiError ValidationFailed (400): an action the step does not take (field `action`), or, from `toAction`,
 *   a rating of another department (field `departmentId`). Error: a whistle task whose key is not one (a bug of the
 *   projection, not of the request).
 */
export function planTaskAction(task: ActionableTask, name: string): TaskActionPlan {
  const accepted: readonly string[] = actionsForStep(task.step);
  if (isTaskAction(name) && accepted.includes(name)) {
    const spec: CaseActionBody = CASE_ACTION_BODIES[name];
    return { target: 'case', body: spec.body, toAction: spec.toAction as (input: unknown) => CaseAction };
  }
  if (!isWhistleTaskAction(name) || !accepted.includes(name)) {
    throw invalid('action', 'taskStep', `a ${task.step} task takes ${accepted.join(', ') || 'no action'}, not ${name}`);
  }
  const key = parseWhistleTaskKey(task.task_key);
  if (!key || key.caseNo !== task.case_no || key.step !== task.step) {
    throw new Error(
      `task ${task.id} (${task.step}) has key ${task.task_key}, not <caseNo>:whistle-<round>:<step>:<unit>`,
    );
  }
  const spec: WhistleActionBody = WHISTLE_ACTION_BODIES[name];
  const toAction = spec.toAction as (input: unknown) => WhistleAction;
  return {
    target: 'whistle',
    round: key.round,
    body: spec.body,
    toAction: (input) => {
      const action = toAction(input);
      if ((action.type === 'rate' || action.type === 'confirm') && action.departmentId !== key.departmentId) {
        const verb = action.type === 'rate' ? 'rates' : 'confirms the work of';
        throw invalid(
          'departmentId',
          'taskDepartment',
          `this task ${verb} ${key.departmentId}; departmentId must be ${key.departmentId}, not ${action.departmentId}`,
        );
      }
      return action;
    },
  };
}
