import type { Actor } from '../lifecycle/lifecycle.types';

/*
 * Governance items: work that scores and hotspots lead to, outside any one case (docs/governance.md).
 * - `rectification` (限期整改): a unit on a month's bottom list plans, acts and reports by a deadline;
 * - `problem-of-the-month` (每月一题): a recurring problem the centre adopts, with owner units, a plan, milestones and a
 *   deadline, measured by the case counts of its categories and places before and after adoption;
 * - `proactive` (未诉先办): a hotspot that rose past the definition's threshold; the street or community acts before
 *   further complaints arrive, and the complaints that follow are counted.
 */

export const GOVERNANCE_KINDS = ['rectification', 'problem-of-the-month', 'proactive'] as const;
export type GovernanceKind = (typeof GOVERNANCE_KINDS)[number];

/** `open` → `planned` (plan and milestones submitted) → `reported` (work reported) → `closed` (accepted by the centre). */
export const GOVERNANCE_STATUSES = ['open', 'planned', 'reported', 'closed'] as const;
export type GovernanceStatus = (typeof GOVERNANCE_STATUSES)[number];

/** Supervision of an overdue item, as for cases: daily, then posted (挂牌), then interview (约谈). */
export const GOVERNANCE_SUPERVISION = ['none', 'daily', 'posted', 'interview'] as const;
export type GovernanceSupervision = (typeof GOVERNANCE_SUPERVISION)[number];

/** Most milestones a plan may have. */
export const MAX_MILESTONES = 20;

/** What an item is about: the categories and places (street/township or district ids) its effect is counted in. */
export interface GovernanceScope {
  categories: string[];
  places: string[];
  /** The score month the item came from (`YYYY-MM`), for rectification and proactive items. */
  month?: string;
  /** The unit a rectification is about (one of the bottom units). */
  unitId?: string;
}

/** One step of a plan. */
export interface Milestone {
  title: string;
  /** Planned date `YYYY-MM-DD` (Asia/Shanghai), optional. */
  due?: string;
  /** ISO instant the owner unit marked it done. */
  doneAt?: string;
  doneBy?: string;
  note?: string;
}

/** The deadline of an item, laid on the working-day calendar. */
export interface GovernanceDeadline {
  /** Duration text, e.g. `10WD`. */
  duration: string;
  /** ISO instants. */
  from: string;
  due: string;
  reminderAt?: string;
  calendarId: string;
  calendarVersion: number;
}

/** One thing that happened to an item, in order. */
export interface GovernanceEvent {
  type:
    | 'opened'
    | 'deadline-set'
    | 'plan-submitted'
    | 'milestone-completed'
    | 'reported'
    | 'closed'
    | 'reminded'
    | 'overdue'
    | 'supervision-raised';
  at: string;
  actor?: Pick<Actor, 'userId' | 'role' | 'unitId'>;
  detail?: Record<string, unknown>;
}

/** The live state of an item (the workflow's, mirrored to `governance_items`). */
export interface GovernanceItemState {
  itemId: string;
  kind: GovernanceKind;
  title: string;
  ownerUnitIds: string[];
  scope: GovernanceScope;
  status: GovernanceStatus;
  plan?: string;
  milestones: Milestone[];
  report?: string;
  /** What the owner unit says came of it (e.g. `resolved`, `partly`, `ongoing`). */
  outcome?: GovernanceOutcome;
  deadline?: GovernanceDeadline;
  reminded: boolean;
  overdue: boolean;
  supervision: GovernanceSupervision;
  closedAt?: string;
  closeNote?: string;
  events: GovernanceEvent[];
}

export const GOVERNANCE_OUTCOMES = ['resolved', 'partly', 'ongoing'] as const;
export type GovernanceOutcome = (typeof GOVERNANCE_OUTCOMES)[number];

/** A human action on an item; every one is an Update the workflow validates. */
export type GovernanceAction =
  | { type: 'submitPlan'; plan: string; milestones: Array<{ title: string; due?: string }> }
  | { type: 'completeMilestone'; index: number; note?: string }
  | { type: 'report'; report: string; outcome: GovernanceOutcome }
  | { type: 'close'; note: string };

/** Why an action was refused: a stable code and a plain message. */
export interface GovernanceRefusal {
  code: 'WrongState' | 'WrongUnit' | 'WrongRole' | 'InvalidArgument';
  message: string;
}

/** How an item is opened (the workflow's input, apart from its deadline rules). */
export interface GovernanceItemSpec {
  itemId: string;
  kind: GovernanceKind;
  title: string;
  ownerUnitIds: string[];
  scope: GovernanceScope;
}
