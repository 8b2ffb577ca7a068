import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Actor, WhistleRules } from '../../libs/domain/src/lifecycle/lifecycle.types';
import type { WhistleAction, WhistleOpening, WhistleRoundState } from '../../libs/domain/src/whistle/whistle.types';

export type {
  WhistleAction,
  WhistleDepartmentResult,
  WhistleRoundResult,
  WhistleRoundState,
} from '../../libs/domain/src/whistle/whistle.types';

/** Workflow type name of a whistle round (a child of its case). Recorded in histories: never rename. */
export const WHISTLE_ROUND_WORKFLOW = 'whistleRound';

/** Workflow id of round `round` (1-based) of case `caseNo`: `case-<caseNo>-whistle-<round>`; the case chooses it. */
export function whistleRoundWorkflowId(caseNo: string, round: number): string {
  return `case-${caseNo}-whistle-${round}`;
}

/** Event stream of round `round` in `case_events`: `whistle-<round>`, numbered from 1 by the round itself. */
export function whistleEventStream(round: number): string {
  return `whistle-${round}`;
}

/**
 * Input of the `whistleRound` workflow: the whistle as the case validated it (see `WhistleRound.validateOpening`),
 * with the rules the case is pinned to. An input the round refuses fails the workflow with `CaseActionRefused`.
 */
export interface WhistleRoundInput extends WhistleOpening {
  /** The case's whistle rules (grades and their report limits, who may whistle, most departments). */
  rules: WhistleRules;
  /** Fraction of a report limit at which a department is reminded (the case rules' `reminderFraction`). */
  reminderFraction: number;
  /** ISO instant the whistle was blown (the case's Update time); defaults to the round's start. */
  startedAt?: string;
}

/**
 * Arguments of every whistle-round action: the action and who takes it (from the authenticated request, recorded in
 * the Update's history event), as for the case's actions.
 */
export interface WhistleActionRequest<A extends WhistleAction = WhistleAction> {
  actor: Actor;
  action: A;
}

type ActionOf<T extends WhistleAction['type']> = WhistleActionRequest<Extract<WhistleAction, { type: T }>>;

// Each action is an Update with a validator: a refused action is a synchronous `CaseActionRefused` error whose message
// starts with the refusal code. Each returns the round's state after the action. Wire names: never rename.
/** A summoned department reports for duty (报到); late once its report limit has passed. */
export const reportWhistleUpdate = defineUpdate<WhistleRoundState, [ActionOf<'report'>]>('reportWhistle');
/** A department that reported submits its result; overdue once the case's handling deadline has passed. */
export const submitWhistleResultUpdate = defineUpdate<WhistleRoundState, [ActionOf<'result'>]>('submitWhistleResult');
/**
 * The whistler rates a department's result, 1–5 with an optional comment (the double assessment), and a veto where
 * the rules allow one.
 */
export const rateWhistledDepartmentUpdate = defineUpdate<WhistleRoundState, [ActionOf<'rate'>]>(
  'rateWhistledDepartment',
);

/**
 * 事不完、人不撤 (rules with `stayUntilDone`): the whistler confirms a department's work done, or sends it back to
 * work with a note (its result is owed again).
 */
export const confirmWhistledWorkUpdate = defineUpdate<WhistleRoundState, [ActionOf<'confirm'>]>('confirmWhistledWork');

/** Every whistle-round action's Update, by action type. */
export const WHISTLE_ACTION_UPDATES = {
  report: reportWhistleUpdate,
  result: submitWhistleResultUpdate,
  confirm: confirmWhistledWorkUpdate,
  rate: rateWhistledDepartmentUpdate,
} as const;

/** Arguments of {@link closeWhistleRoundSignal}. */
export interface CloseWhistleRoundRequest {
  /** Why the case ends the round (e.g. the case was closed or returned); recorded with what was outstanding. */
  reason: string;
}

/** The case ends the round early; the round records what was outstanding and returns. Ignored once it has ended. */
export const closeWhistleRoundSignal = defineSignal<[CloseWhistleRoundRequest]>('closeWhistleRound');

/** Arguments of {@link moveWhistleResultDueSignal}. */
export interface MoveWhistleResultDueRequest {
  /** ISO instant: the case's new handling deadline (e.g. after an approved extension or a resume). */
  resultDue: string;
}

/** The case's handling deadline moved: the round's result deadline follows it. Ignored once the round has ended. */
export const moveWhistleResultDueSignal = defineSignal<[MoveWhistleResultDueRequest]>('moveWhistleResultDue');

/** Live state of the round (departments, deadlines, reports, results, ratings). Read-only. */
export const whistleRoundQuery = defineQuery<WhistleRoundState>('whistleRoundState');
