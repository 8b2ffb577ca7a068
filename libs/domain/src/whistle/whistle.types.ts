import type { Actor, DeadlineEntry, DeadlineRequest } from '../lifecycle/lifecycle.types';
import type { WhistleTrigger, WhistleType } from '../rules/process-definition';

/**
 * What a whistle (吹哨) asks for: the whistling unit's handler summons departments to one case, with a grade that
 * sets how fast they must report (报到) and a reason. Checked by {@link WhistleRound.validateOpening}.
 */
export interface WhistleOpening {
  caseNo: string;
  /** 1-based number of the round within its case; names the event stream `whistle-<round>`. */
  round: number;
  /** The handler who whistles: of a unit whose kind the rules allow (a street/township or community). */
  whistler: Actor;
  /** The summoned departments: 1 to the rules' `maxDepartments`, distinct, none the whistler's own unit. */
  departmentIds: string[];
  /** Id of a grade in the rules (`blue`, `yellow`, `red` in the `beijing` preset). */
  grade: string;
  reason: string;
  /** Why it is blown; completed by the rules when absent (see `resolveWhistleKind`). */
  trigger?: WhistleTrigger;
  /** Enforcement, management or development whistle, where the rules tell types apart. */
  whistleType?: WhistleType;
  /**
   * ISO instant by which every department must submit its result: the case's handling deadline, handed down by the
   * case (it was stamped there, so the round does not stamp it again). Must lie after the opening instant.
   */
  resultDue: string;
  /** Coordination committee a department that fails to report is escalated to (e.g. the district's). */
  escalationUnitId?: string;
}

/** A human action inside a whistle round; each is an Update whose validator runs {@link WhistleRound.validate}. */
export type WhistleAction =
  /** A summoned department reports for duty (报到); a handler of that department acts. */
  | { type: 'report'; note?: string }
  /** A department that reported submits what it did; a handler of that department acts. */
  | { type: 'result'; summary: string }
  /**
   * 事不完、人不撤 (rules with `stayUntilDone`): the whistler confirms that a department's work is done (`done: true`),
   * which ends its part, or sends it back to work (`done: false`, a note saying what is missing): its result is owed
   * again.
   */
  | { type: 'confirm'; departmentId: string; done: boolean; note?: string }
  /**
   * The whistler rates a department after its result (双考核): a whole score 1 (worst) to 5 (best); `veto: true` vetoes
   * the department's assessment, only where the rules allow a veto.
   */
  | { type: 'rate'; departmentId: string; score: number; comment?: string; veto?: boolean };

/** Lowest and highest whistle rating score. */
export const WHISTLE_SCORE = { min: 1, max: 5 } as const;

/** The whistler's rating of one department. */
export interface WhistleRating {
  score: number;
  comment?: string;
  /** The whistler vetoed the department's assessment (rules with `rating.veto`). */
  veto?: boolean;
  /** ISO instant it was given. */
  at: string;
}

/** One summoned department's progress through the round. */
export interface WhistledDepartment {
  departmentId: string;
  /** Its report deadline (`whistle-report`), once the calendar stamped it. */
  reportDeadline?: DeadlineEntry;
  reportedAt?: string;
  /** Reported after its report deadline (a late report still counts as reported). */
  lateReport: boolean;
  /** Did not report by its deadline and was escalated. */
  escalated: boolean;
  /** Committee it was escalated to, when the round names one. */
  escalatedTo?: string;
  resultAt?: string;
  summary?: string;
  /** 事不完、人不撤: when the whistler confirmed its work done (rules with `stayUntilDone`). */
  confirmedAt?: string;
  /** How many of its results the whistler sent back as not done. */
  rejections?: number;
  rating?: WhistleRating;
  /** Had not submitted its result when the result deadline passed. */
  overdue: boolean;
}

/** Where a round stands: running, done (every department resulted and rated), or closed early by its case. */
export type WhistlePhase = 'open' | 'completed' | 'closed';

/** What a department still owed when a round was closed early. */
export interface WhistleOutstanding {
  departmentId: string;
  missing: Array<'report' | 'result' | 'confirmation' | 'rating'>;
}

/** Everything a whistle round knows; plain data, safe to return from a Query. */
export interface WhistleRoundState {
  caseNo: string;
  round: number;
  phase: WhistlePhase;
  whistler: Actor;
  grade: string;
  /** Why it was blown and its type, as the rules completed them (absent under rules that read neither). */
  trigger?: WhistleTrigger;
  whistleType?: WhistleType;
  /** 事不完、人不撤: departments stay until the whistler confirms their work done (the rules' `stayUntilDone`). */
  stayUntilDone?: boolean;
  /** The grade's report limit when the round opened, e.g. `PT30M`. */
  reportLimit: string;
  reason: string;
  escalationUnitId?: string;
  openedAt: string;
  /** When it completed or was closed. */
  endedAt?: string;
  closeReason?: string;
  /** Departments in the order they were summoned. */
  departments: WhistledDepartment[];
  /** The `whistle-result` deadline: the case's handling deadline, shared by every department. */
  resultDeadline: DeadlineEntry;
}

/** A report deadline the calendar must stamp, for one department. */
export interface WhistleDeadlineRequest extends DeadlineRequest {
  departmentId: string;
}

/** The timer a round waits on next: a department's report reminder or deadline, or the result deadline. */
export interface WhistleTimer {
  kind: 'whistle-report' | 'whistle-result';
  at: string;
  reminder: boolean;
  /** The department a `whistle-report` timer belongs to. */
  departmentId?: string;
}

/** One department's outcome, as the round hands it back to its case (feeds the double assessment). */
export type WhistleDepartmentResult = Omit<WhistledDepartment, 'reportDeadline'>;

/** What a finished round hands back to its case. */
export interface WhistleRoundResult {
  caseNo: string;
  round: number;
  grade: string;
  trigger?: WhistleTrigger;
  whistleType?: WhistleType;
  whistlerUnitId: string;
  /** `completed`: every department submitted and was rated; `closed`: the case ended the round early. */
  outcome: Exclude<WhistlePhase, 'open'>;
  openedAt: string;
  endedAt: string;
  closeReason?: string;
  departments: WhistleDepartmentResult[];
  /** What each department still owed when the round was closed early; empty when it completed. */
  outstanding: WhistleOutstanding[];
}
