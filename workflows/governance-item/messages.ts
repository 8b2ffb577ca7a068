import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { GovernanceAction, GovernanceItemSpec, GovernanceItemState } from '../../libs/domain/src/governance';
import type { Actor } from '../../libs/domain/src/lifecycle/lifecycle.types';

/** Workflow type name of a governance item. Recorded in histories: never rename. */
export const GOVERNANCE_ITEM_WORKFLOW = 'governanceItem';

/** Workflow type name of the step that opens a score run's governance items. Recorded in histories: never rename. */
export const GOVERNANCE_AFTER_SCORES_WORKFLOW = 'governanceAfterScores';

/** Input of the `governanceItem` workflow. */
export interface GovernanceItemInput {
  spec: GovernanceItemSpec;
  /** Duration text of the deadline, laid on the working-day calendar from `from` (e.g. `10WD`). */
  deadline: string;
  /** ISO instant the deadline runs from (the item's opening). */
  from: string;
  /** Fraction (0 < f < 1) of the deadline at which the reminder goes out (the definition's `lifecycle.reminderFraction`). */
  reminderFraction: number;
  /** Still overdue this long after the deadline (or the last raise): supervision one level up (`lifecycle.supervision.raiseAfter`). */
  raiseAfter: string;
}

/** An action on an item: who (from the token, never the body) and what. */
export interface GovernanceActionRequest<A extends GovernanceAction = GovernanceAction> {
  actor: Actor;
  action: A;
}

/** Failure type of an action the item refused; the message starts with the refusal code (`WrongUnit: …`). */
export const GOVERNANCE_ACTION_REFUSED = 'GovernanceActionRefused';

type ActionOf<T extends GovernanceAction['type']> = Extract<GovernanceAction, { type: T }>;

/** The owner unit submits its plan and milestones (again, until a milestone is done). */
export const submitPlanUpdate = defineUpdate<GovernanceItemState, [GovernanceActionRequest<ActionOf<'submitPlan'>>]>(
  'submitPlan',
);
/** The owner unit marks a milestone of its plan done. */
export const completeMilestoneUpdate = defineUpdate<
  GovernanceItemState,
  [GovernanceActionRequest<ActionOf<'completeMilestone'>>]
>('completeMilestone');
/** The owner unit reports the work done and its outcome, once every milestone is done. */
export const reportUpdate = defineUpdate<GovernanceItemState, [GovernanceActionRequest<ActionOf<'report'>>]>('report');
/** The service centre accepts the report and closes the item; its effect is recorded. */
export const closeUpdate = defineUpdate<GovernanceItemState, [GovernanceActionRequest<ActionOf<'close'>>]>('close');

/** Every action Update by action type. */
export const GOVERNANCE_ACTION_UPDATES = {
  submitPlan: submitPlanUpdate,
  completeMilestone: completeMilestoneUpdate,
  report: reportUpdate,
  close: closeUpdate,
} as const;

/** The item's live state. */
export const governanceStateQuery = defineQuery<GovernanceItemState>('governanceState');
