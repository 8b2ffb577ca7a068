import type { OrgUnitKind } from '../org/org.types';
import type { DeadlineSet } from '../routing/routing.types';
import type { WhistleAnswerer, WhistleTrigger, WhistleType } from '../rules/process-definition';

/** Where a case stands in the process after intake. */
export type LifecyclePhase =
  | 'awaiting-dispatch'
  | 'awaiting-sign'
  | 'handling'
  | 'in-review'
  | 'awaiting-callback'
  /** Dissatisfied after the last re-handling: before the accountability body (e.g. the discipline office). */
  | 'accountability'
  | 'closed';

/**
 * Rungs of the fixed escalation ladder of cases started before ladders were data (`LifecycleRules.rungs` absent): no
 * escalation, then each coordination committee, then city supervision.
 */
export const ESCALATION_LEVELS = ['none', 'community', 'street', 'district', 'city'] as const;
/**
 * Where a case stands on its ladder: `none`, a level of the fixed ladder ({@link ESCALATION_LEVELS}), or the id of a
 * rung of its pinned ladder ({@link LifecycleRules.rungs}).
 */
export type EscalationLevel = (typeof ESCALATION_LEVELS)[number] | (string & {});

export type ActorRole = 'operator' | 'handler' | 'coordinator' | 'designer' | 'auditor' | 'admin' | 'system';

/** Who acts: taken from the authenticated request, never from a payload field. */
export interface Actor {
  userId: string;
  role: ActorRole;
  unitId: string;
  /** Kind of the actor's unit in the org tree (who may whistle depends on it); resolved by the API from the tree. */
  unitKind?: OrgUnitKind;
}

export type ReplyResult = 'solved' | 'partly' | 'explained';
/** The 5-level satisfaction scale: 非常满意 … 非常不满意. */
export type Satisfaction =
  | 'very-satisfied'
  | 'satisfied'
  | 'basically-satisfied'
  | 'dissatisfied'
  | 'very-dissatisfied';
export const SATISFIED: readonly Satisfaction[] = ['very-satisfied', 'satisfied', 'basically-satisfied'];

/** A human action on a case; each is an Update whose validator runs {@link CaseLifecycle.validate}. */
export type CaseAction =
  | { type: 'sign' }
  | { type: 'return'; reason: string }
  | { type: 'redispatch'; leadUnitId: string; arbitrated: boolean; reason: string }
  | { type: 'contact'; note?: string }
  | { type: 'requestExtension'; workingDays: number; reason: string }
  | { type: 'decideExtension'; approved: boolean; reason: string }
  | { type: 'reply'; result: ReplyResult; summary: string }
  | { type: 'review'; accepted: boolean; reason?: string }
  | { type: 'callback'; reached: boolean; solved?: boolean; satisfaction?: Satisfaction; note?: string }
  /**
   * The accountability body (the office `LifecycleRules.accountability` names) decides whether the unit is
   * responsible for a case the citizen stayed dissatisfied with; the decision goes on the record and the case closes.
   */
  | { type: 'decideAccountability'; responsible: boolean; decision: string }
  /**
   * The audit call-back (民意访评) of a closed case sampled for it: the citizen asked again. An answer that contradicts
   * the unit's reported result (reported solved, the citizen says not solved) flags the case.
   */
  | { type: 'auditCallback'; reached: boolean; solved?: boolean; satisfaction?: Satisfaction; note?: string }
  | { type: 'escalate'; reason: string }
  | { type: 'suspend'; reason: string; reasonId?: string }
  | { type: 'resume'; reason: string }
  | {
      type: 'whistle';
      /** The summoned units: departments, or the whistling community's street where the rules say so. */
      departmentIds: string[];
      grade: string;
      reason: string;
      /** Why it is blown (absent: `citizen-demand` where the grade allows it; see `resolveWhistleKind`). */
      trigger?: WhistleTrigger;
      /** Enforcement, management or development whistle, where the rules tell types apart. */
      whistleType?: WhistleType;
    }
  /** A co-unit reports its part to the lead unit (首接负责制: co-units report to the lead). */
  | { type: 'reportPart'; summary: string }
  /**
   * The body the case is escalated to acts: an instruction (or, where the rung allows `decide`, a decision) on the
   * record; `reassignTo` names a new lead unit; `convene` summons departments as co-units. What a body may do is its
   * rung's `actions` (fixed ladder: instruct and reassign).
   */
  | { type: 'coordinate'; instruction: string; reassignTo?: string; convene?: string[]; decision?: boolean }
  /**
   * A designer moves the case to a newer process definition version: the new rules, and the case's sign / contact /
   * handle limits under the new routing catalogue. Every pending deadline is recomputed from its start.
   */
  /**
   * A designer moves the case's running deadlines to the calendar in force (a year's official schedule replaced its
   * provisional one, or local days changed). `entries` are the recomputed deadlines, filled in by the workflow through
   * the calendar activity, never by a client.
   */
  | { type: 'recalendar'; reason: string; entries?: DeadlineEntry[] }
  | {
      type: 'migrateRules';
      toVersion: string;
      rules: LifecycleRules;
      deadlines?: DeadlineSet;
      reason: string;
      /** The new ladder's bodies at the case's place, one per rung; filled in by the workflow, never by a client. */
      rungUnits?: string[];
      /** The new version's accountability body at the case's place; filled in by the workflow, never by a client. */
      accountabilityUnitId?: string;
    };

/** Why an action was refused: a stable code for clients and a plain message. */
export type RefusalCode =
  | 'WrongState'
  | 'WrongUnit'
  | 'WrongRole'
  | 'DeadlinePassed'
  | 'LimitReached'
  | 'InvalidArgument';
export interface Refusal {
  code: RefusalCode;
  message: string;
}

/** Deadlines a case can be running against; at most one of each kind at a time. */
export type DeadlineKind =
  | 'sign'
  | 'return-window'
  | 'contact'
  | 'handle'
  | 'escalation'
  | 'callback'
  /** A whistled department must report (报到) by this instant; held by the whistle round, not the case. */
  | 'whistle-report'
  /** A whistled department must submit its result by this instant; held by the whistle round, not the case. */
  | 'whistle-result'
  /** While a case stays overdue: the overdue reminder (the working day after expiry), then each supervision step. */
  | 'supervision'
  /** The accountability body must decide by this instant (`LifecycleRules.accountability.deadline`). */
  | 'accountability'
  /** A closed case sampled for an audit call-back must be called back by this instant (`callback.audit.deadline`). */
  | 'audit';

/** Supervision levels (督办) of an overdue or stuck case, in rising order: daily, posted (挂牌), interview (约谈). */
export const SUPERVISION_LEVELS = ['none', 'daily', 'posted', 'interview'] as const;
export type SupervisionLevel = (typeof SUPERVISION_LEVELS)[number];

/** A deadline whose clock is stopped by a suspension, with what it still owes. */
export interface PausedDeadline {
  kind: DeadlineKind;
  duration: string;
  /** Natural or working milliseconds still owed, by the duration's kind. */
  remainingMs: number;
}

/** A deadline as the calendar stamped it, with where it came from. */
export interface DeadlineEntry {
  kind: DeadlineKind;
  /** Duration text it was computed from, e.g. `7WD`. */
  duration: string;
  /** ISO instant the clock started. */
  from: string;
  /** ISO instant it expires. */
  due: string;
  calendarId: string;
  calendarVersion: number;
  /** Holidays and make-up days the computation crossed. */
  appliedDays: string[];
  /** ISO instant of the 80 % reminder (natural or working time, as the duration). */
  reminderAt?: string;
  reminded?: boolean;
}

/** A deadline the workflow must have computed (through an activity) before it can wait on it. */
export interface DeadlineRequest {
  kind: DeadlineKind;
  duration: string;
  from: string;
}

/** One whistle grade (e.g. blue / yellow / red): who must come and how fast they must report. */
export interface WhistleGrade {
  /** Duration a summoned department has to report (报到), e.g. `1WD`, `4WH`, `PT30M`. */
  reportLimit: string;
  /** Plain description of what the grade means. */
  description: string;
  /** The triggers the grade is for; absent: any trigger the rules allow. */
  triggers?: WhistleTrigger[];
  /** The whistle types the grade is for; absent: any type the rules list. */
  types?: WhistleType[];
}

/** Whistle rules (吹哨、报到). */
export interface WhistleRules {
  /** Grades by id. */
  grades: Record<string, WhistleGrade>;
  /** Kinds of lead unit whose handlers may whistle (a street/township, and in some models a community). */
  whistlerKinds: OrgUnitKind[];
  /** Most departments one whistle round may summon. */
  maxDepartments: number;
  /**
   * Who answers each kind of whistler: `departments` (the summoned units must be departments) or `street` (社区吹哨、
   * 街道报到: the whistling community's own street/township). Absent (rules pinned before it was read): departments.
   */
  answeredBy?: Partial<Record<OrgUnitKind, WhistleAnswerer>>;
  /** Why a unit may whistle; absent (rules pinned before triggers were read): any trigger, none required. */
  triggers?: WhistleTrigger[];
  /** The whistle types the rules tell apart; absent or empty: whistles carry no type. */
  types?: WhistleType[];
  /** 事不完、人不撤: a department's part is done only once the whistler confirms its result. Absent: false. */
  stayUntilDone?: boolean;
  /**
   * `required`: the round ends only once the whistler has rated every department (absent: true); `veto`: a rating
   * may veto the department's assessment (absent: false).
   */
  rating?: { required: boolean; veto: boolean };
}

/**
 * One rung of a ladder as the lifecycle enacts it (from `LadderRung` of the process definition, in climbing order).
 * The body is resolved to a unit of the org tree when the case is dispatched (`DispatchPlan.rungUnits`).
 */
export interface RungRules {
  /** Stable slug, recorded in histories; migrations map a case's rung by it. */
  id: string;
  name: string;
  /** Where the body is found (exactly one key): see `RungCoordinator` of the process definition. */
  body: { committee?: string; place?: string; office?: string; serviceCentre?: true; unitId?: string };
  /** Time on the rung before the case climbs; absent on the final rung. */
  deadline?: string;
  /** Supervision level the case is put under on arrival. */
  supervision?: 'daily' | 'posted' | 'interview';
  /** The role that acts for the body. */
  role: 'coordinator' | 'handler' | 'operator';
  /** What the body may do with the case. */
  actions: Array<'instruct' | 'reassign' | 'convene' | 'decide'>;
}

/** Process rules the lifecycle reads (the `beijing` preset's defaults; versioned rules replace them). */
export interface LifecycleRules {
  /** A unit may return a case within this window after dispatch (Shandong: 2 working days). */
  returnWindow: string;
  extension: { maxCount: number; maxWorkingDays: number };
  /**
   * Suspensions a case may have (absent: no limit; 0 forbids them) and the reason ids a handler picks from (one
   * listed: the default). Absent (cases pinned before suspension rules were read): any reason, no limit.
   */
  suspension?: { maxCount?: number; reasonIds: readonly string[] };
  /** Fixed-ladder committee deadlines in order: community, street, district; city supervision has none. */
  ladder: { community: string; street: string; district: string };
  /**
   * The ladder of the pinned version, first rung to final: the case climbs exactly these rungs. Absent (cases pinned
   * before ladders were data): the fixed ladder community → street → district → city of `ladder`.
   */
  rungs?: RungRules[];
  /**
   * Who dispatches: the city's service centre (`city`, default), or under two-level command (`city-and-district`,
   * Nanjing) the command centre of the case's district where it has one.
   */
  command?: 'city' | 'city-and-district';
  /** Where a locality case goes and whether its district gets a copy (`ProcessDefinition.dispatch`); absent: street, copy. */
  dispatch?: { localityLevel: 'street' | 'community' | 'grid'; copyToDistrict: boolean };
  /** Fraction of a deadline at which a reminder goes out. */
  reminderFraction: number;
  callback: {
    window: string;
    maxAttempts: number;
    /** Audit call-backs (民意访评) of closed cases; absent: none (and in cases pinned before they existed). */
    audit?: AuditRules;
  };
  rehandle: { duration: string; maxCount: number };
  /**
   * Where a case the citizen is dissatisfied with after its last re-handling goes; absent (cases pinned before the
   * accountability step existed): the case closes at once, flagged `accountability`.
   */
  accountability?: AccountabilityRules;
  whistle: WhistleRules;
  /**
   * Supervision of a case that stays overdue: an overdue reminder `reminderAfter` the expiry (the working day after),
   * then one level up (daily → posted → interview) each `raiseAfter` it is still overdue. Absent: no supervision
   * steps (cases started before they existed).
   */
  supervision?: { reminderAfter: string; raiseAfter: string };
}

/**
 * The accountability step (the Suyu model): a case dissatisfied after its last re-handling goes to the nearest office
 * of function `target` at or above its place (resolved at dispatch, `DispatchPlan.accountabilityUnitId`), whose
 * `role` decides by `deadline` whether the unit is responsible; the case closes with that decision on the record.
 */
export interface AccountabilityRules {
  /** Function slug of the office, e.g. `discipline-office` (纪委监委). */
  target: string;
  /** Time the body has to decide, e.g. `10WD`; past it the case is overdue and the body is told. */
  deadline: string;
  /** The role that acts for the body. */
  role: 'handler' | 'coordinator' | 'operator';
}

/** How a contradicted audit call-back counts in the unit's scores. */
export const AUDIT_FLAG_EFFECTS = ['audit-answer', 'record-only'] as const;
/**
 * - `audit-answer`: the audit's answer (solved, satisfaction) replaces the call-back's in the unit's resolution and
 *   satisfaction rates;
 * - `record-only`: the flag is on the case's record; the scores keep the call-back's answer.
 */
export type AuditFlagEffect = (typeof AUDIT_FLAG_EFFECTS)[number];

/** How cases are drawn for an audit call-back. */
export const AUDIT_SAMPLINGS = ['case-number-hash'] as const;
/**
 * `case-number-hash`: a case is drawn when the FNV-1a hash of its case number, as a fraction of 2^32, is below
 * `fraction` (`auditDraw`): deterministic, reproducible from the case number, and recorded on the case.
 */
export type AuditSampling = (typeof AUDIT_SAMPLINGS)[number];

/**
 * Audit call-backs (民意访评, Suyu): a share of the cases closed satisfied is called back again by the service centre
 * (an operator) within `deadline`; an answer that contradicts the unit's reported result flags the case.
 */
export interface AuditRules {
  /** Share (0 < f ≤ 1) of cases closed satisfied that are called back again. */
  fraction: number;
  sampling: AuditSampling;
  /** The audit call-back is due this long after the case closed, e.g. `5WD`; past it the audit lapses unflagged. */
  deadline: string;
  flagEffect: AuditFlagEffect;
}

/** The routing outcome the lifecycle starts from. */
export interface DispatchPlan {
  leadUnitId: string;
  coUnitIds: string[];
  copyUnitIds: string[];
  deadlines: DeadlineSet;
  /** Fixed ladder: the committees it climbs through (absent levels are skipped). */
  ladderUnits: { community?: string; street?: string; district?: string };
  /** Ladder from the pinned version (`LifecycleRules.rungs`): the unit of each rung at the case's place, in order. */
  rungUnits?: string[];
  /** The service centre that dispatched the case (reviews, calls back, decides extensions); absent in old plans. */
  serviceCentreId?: string;
  /** The stored org tree version the case was dispatched under; absent in old plans (and for unversioned trees). */
  orgVersion?: number;
  /** The office that takes up accountability (`LifecycleRules.accountability`) at the case's place; absent: none. */
  accountabilityUnitId?: string;
}

/** One fact recorded in the case's history and mirrored to the domain events table. */
export interface LifecycleEvent {
  type: string;
  at: string;
  actor?: Actor;
  detail: Record<string, unknown>;
  /** The Temporal Update that caused it, when a person acted: links the event to its history event. */
  updateId?: string;
}
