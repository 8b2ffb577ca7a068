import type {
  AuditFlagEffect,
  AuditSampling,
  LifecycleRules,
  RungRules,
  SupervisionLevel,
  WhistleRules,
} from '../lifecycle/lifecycle.types';
import type { CommitteeLevel, OrgUnitKind } from '../org/org.types';
import type { RoutingCatalogue } from '../routing/routing.types';

/*
 * A process definition (流程定义): everything the case lifecycle reads, as one JSON document a process designer edits,
 * validates (`validateDefinition`), compares (`diffDefinitions`) and publishes as an immutable version. The field by
 * field reference is docs/rules.md; the JSON Schema is `PROCESS_DEFINITION_SCHEMA`.
 */

/** The document format this build reads and writes. Bump it only with a migration of stored documents. */
export const PROCESS_DEFINITION_SCHEMA_VERSION = 1;

/** A duration text the calendar reads (`parseDuration`): `7WD` working days, `4WH` working hours, `PT2H` natural. */
export type DurationText = string;

/** Where a locality-handled category goes: the street/township (直派街乡), the community/village, or the grid. */
export const LOCALITY_LEVELS = ['street', 'community', 'grid'] as const;
export type LocalityLevel = (typeof LOCALITY_LEVELS)[number];

/** Who dispatches: the city service centre alone, or city and district command centres (Nanjing 两级指挥). */
export const COMMAND_MODES = ['city', 'city-and-district'] as const;
export type CommandMode = (typeof COMMAND_MODES)[number];

/** Why a unit whistles (the triggers of Beijing's regulation, plus Nanjing's patrol findings). */
export const WHISTLE_TRIGGERS = [
  'citizen-demand',
  'key-work',
  'joint-enforcement',
  'emergency-response',
  'patrol-finding',
] as const;
export type WhistleTrigger = (typeof WHISTLE_TRIGGERS)[number];

/**
 * What kind of whistle it is: an enforcement whistle (执法哨: joint law enforcement), a management whistle (管理哨:
 * everyday urban management and services) or a development whistle (发展哨: key work and projects).
 */
export const WHISTLE_TYPES = ['enforcement', 'management', 'development'] as const;
export type WhistleType = (typeof WHISTLE_TYPES)[number];

/**
 * Kinds of unit that may whistle in some model: a command centre (`service-centre`: the centre that dispatched the case,
 * by its operators; Nanjing's district command centres summon departments for joint action), a district, a
 * street/township, a community/village (by a handler of the case's lead unit).
 */
export const WHISTLER_KINDS = [
  'service-centre',
  'district',
  'street',
  'township',
  'community',
  'village',
] as const satisfies readonly OrgUnitKind[];
export type WhistlerKind = (typeof WHISTLER_KINDS)[number];

/** Who answers a whistle: the departments summoned by id, or the street/township the whistling community is in. */
export const WHISTLE_ANSWERERS = ['departments', 'street'] as const;
export type WhistleAnswerer = (typeof WHISTLE_ANSWERERS)[number];

/** Supervision levels a ladder rung can put a case under on arrival (daily, posted 挂牌, interview 约谈). */
export const RUNG_SUPERVISION_LEVELS = ['daily', 'posted', 'interview'] as const satisfies readonly SupervisionLevel[];

/** Committee levels in the order a case climbs them. */
export const COMMITTEE_LEVELS = ['community', 'street', 'district'] as const satisfies readonly CommitteeLevel[];

/**
 * Cases (or ratings) left out of the monthly scores:
 * - `duplicate`: repeat contacts linked to an open case;
 * - `inadmissible`: closed at intake with the channel told;
 * - `answered-at-intake`: consultations answered on the spot;
 * - `unreachable`: citizens not reached at call-back (out of resolution and satisfaction);
 * - `enforcement-or-mediation`: satisfaction ratings of categories flagged `enforcementOrMediation`.
 */
export const SCORING_EXCLUSIONS = [
  'duplicate',
  'inadmissible',
  'answered-at-intake',
  'unreachable',
  'enforcement-or-mediation',
] as const;
export type ScoringExclusion = (typeof SCORING_EXCLUSIONS)[number];

/** The area a definition governs: a whole city, or one district of it. */
export interface Jurisdiction {
  /** The org tree's city unit. */
  readonly cityId: string;
  /** A district of that city; when set, the catalogue may not name another district's departments. */
  readonly districtId?: string;
}

/** How dispatch treats locality matters. */
export interface DispatchPolicy {
  /** The unit a `locality` handler resolves to (Beijing: `street`; Ningbo DL: `grid`; Malu: `community`). */
  readonly localityLevel: LocalityLevel;
  /** Direct dispatch to a locality also sends a copy to its district, which supervises (Beijing). */
  readonly copyToDistrict: boolean;
  /** Who dispatches and commands joint action. */
  readonly command: CommandMode;
}

/** Extension (延期): asked for before the handling deadline, approved by the centre, the citizen told why. */
export interface ExtensionPolicy {
  /** Extensions a case may get (Shandong: 1); 0 forbids them. */
  readonly maxCount: number;
  /** Longest single extension in working days (Shandong: 10). */
  readonly maxWorkingDays: number;
}

/** One reason a case may be suspended for. */
export interface SuspensionReason {
  /** Stable ASCII slug, e.g. `awaiting-citizen`. */
  readonly id: string;
  /** Chinese name shown to handlers. */
  readonly name: string;
}

/** Suspension (中止): the clocks stop while the case waits on something outside the unit. */
export interface SuspensionPolicy {
  /** Suspensions a case may have; absent: no limit. 0 forbids suspension. */
  readonly maxCount?: number;
  /**
   * The reasons a handler picks from (`reasonId` of the suspend action; with one reason listed it is the default);
   * at least one unless `maxCount` is 0.
   */
  readonly reasons: readonly SuspensionReason[];
}

/** Levels of the case's place whose own unit can be a rung's body (`community` may be a village, `street` a township, `district` a county). */
export const RUNG_PLACE_LEVELS = ['grid', 'community', 'street', 'district'] as const;
export type RungPlaceLevel = (typeof RUNG_PLACE_LEVELS)[number];

/** Roles that can act for a rung's body. */
export const RUNG_ROLES = ['coordinator', 'handler', 'operator'] as const;
export type RungRole = (typeof RUNG_ROLES)[number];

/**
 * What the body of a rung may do with an escalated case (`coordinateCase`): give an instruction on the record
 * (`instruct`), hand the case to another lead unit (`reassign`), summon departments as co-units (`convene`), or
 * take a decision on the record (`decide`, e.g. an executive meeting).
 */
export const RUNG_ACTIONS = ['instruct', 'reassign', 'convene', 'decide'] as const;
export type RungAction = (typeof RUNG_ACTIONS)[number];

/**
 * The body that takes up a case on a rung, resolved from the case's place when it is dispatched. Exactly one of:
 * - `committee`: the coordination committee of that level at the case's place;
 * - `place`: the place's own unit at that level (a grid, a community or village, a street or township);
 * - `office`: the nearest office of that function walking up from the place (the district's before the city's),
 *   e.g. `government-office`, `executive-meeting`, `discipline-office`;
 * - `serviceCentre: true`: the service centre that dispatched the case;
 * - `unitId`: a fixed unit of the org tree.
 */
export interface RungCoordinator {
  readonly committee?: CommitteeLevel;
  readonly place?: RungPlaceLevel;
  readonly office?: string;
  readonly serviceCentre?: true;
  readonly unitId?: string;
}

/** The keys of {@link RungCoordinator}; a rung names exactly one. */
export const RUNG_COORDINATOR_KEYS = ['committee', 'place', 'office', 'serviceCentre', 'unitId'] as const;

/**
 * One rung of the escalation ladder. Rungs form one chain through `next`: the rung nothing leads to is the first
 * (where a case lands when its handling deadline passes or its handler escalates), the rung without `next` is the
 * final one. Order in the array does not matter. A case climbs exactly these rungs: no more, no fewer.
 */
export interface LadderRung {
  /** Stable ASCII slug, e.g. `street-committee`; recorded in case histories and used to map cases on migration. */
  readonly id: string;
  /** What the model calls the rung, e.g. `街道协调委员会`. */
  readonly name: string;
  readonly coordinator: RungCoordinator;
  /** How long the rung has before the case climbs to `next`; required unless final, absent on the final rung. */
  readonly deadline?: DurationText;
  /** Id of the next rung; absent on the final rung. */
  readonly next?: string;
  /** Supervision level the case is put under when it reaches the rung (city supervision: `posted`). */
  readonly supervision?: (typeof RUNG_SUPERVISION_LEVELS)[number];
  /** The role that acts for the body on this rung; default `coordinator`. */
  readonly role?: RungRole;
  /** What the body may do; default `instruct` and `reassign`. */
  readonly actions?: readonly RungAction[];
}

/** Default {@link LadderRung.actions}. */
export const DEFAULT_RUNG_ACTIONS: readonly RungAction[] = ['instruct', 'reassign'];

/** The escalation ladder (community → street → district committee → city supervision in `beijing`). */
export interface LadderPolicy {
  readonly rungs: readonly LadderRung[];
}

/** Supervision (督办) of a case that stays overdue. */
export interface SupervisionPolicy {
  /** The overdue reminder comes this long after the deadline passed (default `1WD`: the working day after). */
  readonly reminderAfter: DurationText;
  /** Then one level up (daily → posted → interview) each time the case is still overdue this long after. */
  readonly raiseAfter: DurationText;
}

/** Call-back (回访). */
export interface CallbackPolicy {
  /** The citizen is called back within this window after the reply is accepted. */
  readonly window: DurationText;
  /** Attempts before the citizen counts as unreachable (an audit call-back gets as many). */
  readonly maxAttempts: number;
  /** Audit call-backs (民意访评, Suyu) of closed cases; absent: none. */
  readonly audit?: CallbackAuditPolicy;
}

/**
 * Audit call-backs (民意访评): a share of the cases closed satisfied is called back again by the service centre (an
 * operator); an answer that contradicts the unit's reported result (the unit said solved, the citizen says not)
 * flags the case, and the flag counts in the unit's scores as `flagEffect` says.
 */
export interface CallbackAuditPolicy {
  /** Share (0 < f ≤ 1) of cases closed satisfied that are called back again. */
  readonly fraction: number;
  /** How cases are drawn: `case-number-hash` (deterministic from the case number, recorded on the case). */
  readonly sampling: AuditSampling;
  /** The audit call-back is due this long after the case closed; past it the audit lapses, unflagged. */
  readonly deadline: DurationText;
  /**
   * `audit-answer`: a flagged case counts with the audit's answer (solved, satisfaction) instead of the call-back's in
   * the unit's resolution and satisfaction rates; `record-only`: the flag is on the record, the scores unchanged.
   */
  readonly flagEffect: AuditFlagEffect;
}

/** Re-handling (二次办理) of a case the citizen is dissatisfied with. */
export interface RehandlePolicy {
  /** Handling deadline of each re-handling. */
  readonly duration: DurationText;
  /** Re-handlings a case may get; the next dissatisfaction goes to accountability. */
  readonly maxCount: number;
}

/**
 * Where a case dissatisfied after its last re-handling goes (the Suyu model): the nearest office of function `target`
 * at or above the case's place takes it up, and its `role` decides by `deadline` whether the unit is responsible; the
 * case closes, flagged `accountability`, with the decision on the record.
 */
export interface AccountabilityPolicy {
  /** Function slug of the office that takes it up, e.g. `discipline-office` (纪委监委); the org tree must have one. */
  readonly target: string;
  /** Time the body has to decide (e.g. `10WD`); past it the case is overdue and the body is told. */
  readonly deadline: DurationText;
  /** The role that acts for the body; default `handler`. */
  readonly role?: RungRole;
}

/** The lifecycle section: everything the case state machine reads, and the policies around it. */
export interface LifecyclePolicy {
  /** A unit may return a case within this window after dispatch (Shandong: `2WD`). */
  readonly returnWindow: DurationText;
  readonly extension: ExtensionPolicy;
  readonly suspension: SuspensionPolicy;
  readonly ladder: LadderPolicy;
  /** Fraction (0 < f < 1) of any deadline at which a reminder goes out (default 0.8). */
  readonly reminderFraction: number;
  readonly supervision: SupervisionPolicy;
  readonly callback: CallbackPolicy;
  readonly rehandle: RehandlePolicy;
  readonly accountability: AccountabilityPolicy;
}

/** One whistle grade (e.g. blue / yellow / red). */
export interface WhistleGradeDefinition {
  /** Stable ASCII slug, recorded in case histories: `blue`. */
  readonly id: string;
  /** Chinese name, e.g. `蓝哨`. */
  readonly name: string;
  /** What the grade means: who must come. */
  readonly description: string;
  /** How long a summoned department has to report (报到), e.g. `PT30M`. */
  readonly reportLimit: DurationText;
  /** The triggers the grade is for; absent: any trigger the definition allows. */
  readonly triggers?: readonly WhistleTrigger[];
  /** The whistle types the grade is for; absent: any type the definition lists. */
  readonly types?: readonly WhistleType[];
}

/** A kind of unit that may whistle, and who answers it. */
export interface WhistlerRule {
  readonly kind: WhistlerKind;
  /** `departments` (街乡吹哨、部门报到) or `street` (社区吹哨、街道报到: only for community/village whistlers). */
  readonly answeredBy: WhistleAnswerer;
}

/** Whistle rules (吹哨、报到). */
export interface WhistlePolicy {
  /** Why a unit may whistle; a whistle names one (absent: `citizen-demand` where its grade allows it). */
  readonly triggers: readonly WhistleTrigger[];
  /** The whistle types the definition tells apart; absent: whistles carry no type. */
  readonly types?: readonly WhistleType[];
  readonly grades: readonly WhistleGradeDefinition[];
  /** Who may whistle, one rule per kind of unit. */
  readonly whistlers: readonly WhistlerRule[];
  /** Most departments one round may summon. */
  readonly maxDepartments: number;
  /**
   * 事不完、人不撤: a summoned department's part is not done until the whistler confirms its result (Pinggu); the
   * department's task stays open until then, and a result the whistler rejects is owed again.
   */
  readonly stayUntilDone: boolean;
  readonly rating: {
    /**
     * The whistler must rate every department it summoned (feeds the double assessment): the round ends only once
     * every department is rated. `false`: it ends once every department's part is done; rating is optional till then.
     */
    readonly required: boolean;
    /**
     * The whistler's rating can veto a department's assessment (Pinggu: the township evaluates and can veto): the
     * `rate` action takes `veto: true` only where this is set.
     */
    readonly veto: boolean;
  };
}

/** Intake policy: duplicates and repeat contacts. */
export interface IntakePolicy {
  /** Same category within this many metres of an open case is a duplicate (FixMyStreet: 250). */
  readonly duplicateRadiusMeters: number;
  /** Same category in the same grid as an open case is a duplicate. */
  readonly duplicateSameGrid: boolean;
  /** Repeat contacts at which priority rises (`RepeatPolicy`). */
  readonly repeat: { readonly elevatedAt: number; readonly highAt: number; readonly supervisionAt: number };
}

/** The monthly three-rate (三率) scores. */
export interface ScoringPolicy {
  /** Weights of the response, resolution and satisfaction rates in the score; they sum to 100. */
  readonly weights: { readonly response: number; readonly resolution: number; readonly satisfaction: number };
  readonly exclusions: readonly ScoringExclusion[];
  /** Rated cases a unit needs in a month to be ranked. */
  readonly minimumSample: number;
  /** How many units the published bottom list names. */
  readonly bottomN: number;
  /** 双考核: the whistlers' ratings of departments are published next to the three rates. */
  readonly doubleAssessment: boolean;
  /**
   * Percent (0–100, default 0) of a department's monthly score that its whistlers' ratings make (the three rates
   * make the rest); a veto (`whistle.rating.veto`) makes that part 0 for the month. Needs `doubleAssessment`.
   */
  readonly doubleAssessmentWeight?: number;
  /** 限期整改: each bottom unit of a month gets a rectification item due this long after the run (absent: none). */
  readonly rectification?: { readonly deadline: DurationText };
  /** 未诉先办: hotspots that rose past this get a proactive item for their street or district (absent: none). */
  readonly proactive?: ProactivePolicy;
}

/** 未诉先办: when a hotspot (category × place) of a scored month rises past the threshold, the place acts first. */
export interface ProactivePolicy {
  /** Cases more than the same category had in the same place the month before. */
  readonly growthThreshold: number;
  /** Cases the hotspot needs in the month, whatever its growth. */
  readonly minimumCount: number;
  /** The proactive item is due this long after the run. */
  readonly deadline: DurationText;
}

/** A process definition, version 1 of the format. */
export interface ProcessDefinition {
  readonly schemaVersion: typeof PROCESS_DEFINITION_SCHEMA_VERSION;
  /** Stable ASCII slug, e.g. `beijing`. */
  readonly id: string;
  /** Human name (Chinese allowed). */
  readonly name: string;
  /** What model the definition encodes, in a sentence or two. */
  readonly description?: string;
  readonly jurisdiction: Jurisdiction;
  /** Id of the working-day calendar deadlines are laid on (e.g. `cn-mainland`). */
  readonly calendarId: string;
  readonly dispatch: DispatchPolicy;
  /** The routing catalogue: categories, their handlers and deadlines by urgency. */
  readonly routing: RoutingCatalogue;
  readonly lifecycle: LifecyclePolicy;
  readonly whistle: WhistlePolicy;
  readonly intake: IntakePolicy;
  readonly scoring: ScoringPolicy;
}

/**
 * The accountability step as the lifecycle enacts it. A document stored before the step had a deadline (absent) has
 * none: its cases close flagged at once, as they did.
 */
function accountabilityRulesOf(lifecycle: LifecyclePolicy): Pick<LifecycleRules, 'accountability'> {
  const { target, deadline, role } = lifecycle.accountability;
  return deadline === undefined ? {} : { accountability: { target, deadline, role: role ?? 'handler' } };
}

/**
 * The rungs of a valid ladder in climbing order, first to final. On an invalid ladder (see `validateDefinition`) it
 * returns the chain from the first rung nothing leads to, as far as it goes without repeating a rung.
 */
export function ladderChain(ladder: LadderPolicy): LadderRung[] {
  const byId = new Map(ladder.rungs.map((rung) => [rung.id, rung]));
  const targets = new Set(ladder.rungs.map((rung) => rung.next));
  const chain: LadderRung[] = [];
  let rung = ladder.rungs.find((candidate) => !targets.has(candidate.id));
  while (rung && !chain.includes(rung)) {
    chain.push(rung);
    rung = rung.next === undefined ? undefined : byId.get(rung.next);
  }
  return chain;
}

/**
 * The committee levels the ladder climbs through, in order (rungs whose body is another kind are left out).
 */
export function ladderCommitteeLevels(definition: ProcessDefinition): CommitteeLevel[] {
  return ladderChain(definition.lifecycle.ladder).flatMap((rung) =>
    rung.coordinator.committee ? [rung.coordinator.committee] : [],
  );
}

/** The ladder as the lifecycle enacts it: every rung in climbing order, with its body, role and actions. */
export function toRungRules(ladder: LadderPolicy): RungRules[] {
  return ladderChain(ladder).map((rung) => ({
    id: rung.id,
    name: rung.name,
    body: { ...rung.coordinator },
    ...(rung.deadline !== undefined ? { deadline: rung.deadline } : {}),
    ...(rung.supervision !== undefined ? { supervision: rung.supervision } : {}),
    role: rung.role ?? 'coordinator',
    actions: [...(rung.actions ?? DEFAULT_RUNG_ACTIONS)],
  }));
}

/**
 * What the case lifecycle reads (`LifecycleRules`), from a valid definition: the case climbs exactly the rungs of
 * the definition's ladder (`rungs`). `ladder` (the fixed ladder's committee deadlines, read only by cases pinned before
 * ladders were data) carries each committee rung's deadline, or the ladder's last timed deadline for a level it lacks.
 */
export function toLifecycleRules(definition: ProcessDefinition): LifecycleRules {
  const { lifecycle, whistle } = definition;
  const chain = ladderChain(lifecycle.ladder);
  const timed = chain.filter((rung) => rung.deadline !== undefined);
  const fallback = timed.at(-1)?.deadline ?? lifecycle.supervision.raiseAfter;
  const deadlineOf = (level: CommitteeLevel): string =>
    chain.find((rung) => rung.coordinator.committee === level)?.deadline ?? fallback;
  return {
    returnWindow: lifecycle.returnWindow,
    extension: { maxCount: lifecycle.extension.maxCount, maxWorkingDays: lifecycle.extension.maxWorkingDays },
    suspension: {
      ...(lifecycle.suspension.maxCount === undefined ? {} : { maxCount: lifecycle.suspension.maxCount }),
      reasonIds: lifecycle.suspension.reasons.map((reason) => reason.id),
    },
    ladder: { community: deadlineOf('community'), street: deadlineOf('street'), district: deadlineOf('district') },
    rungs: toRungRules(lifecycle.ladder),
    command: definition.dispatch.command,
    dispatch: { localityLevel: definition.dispatch.localityLevel, copyToDistrict: definition.dispatch.copyToDistrict },
    reminderFraction: lifecycle.reminderFraction,
    callback: {
      window: lifecycle.callback.window,
      maxAttempts: lifecycle.callback.maxAttempts,
      ...(lifecycle.callback.audit ? { audit: { ...lifecycle.callback.audit } } : {}),
    },
    rehandle: { duration: lifecycle.rehandle.duration, maxCount: lifecycle.rehandle.maxCount },
    ...accountabilityRulesOf(lifecycle),
    whistle: toWhistleRules(whistle),
    supervision: { reminderAfter: lifecycle.supervision.reminderAfter, raiseAfter: lifecycle.supervision.raiseAfter },
  };
}

/**
 * The whistle rules a case enacts, from a valid definition's `whistle` section: grades with the triggers and types
 * they are for, who whistles and who answers each kind, the triggers and types, 事不完、人不撤 and the rating rules.
 */
export function toWhistleRules(whistle: WhistlePolicy): WhistleRules {
  return {
    grades: Object.fromEntries(
      whistle.grades.map((grade) => [
        grade.id,
        {
          reportLimit: grade.reportLimit,
          description: grade.description,
          ...(grade.triggers ? { triggers: [...grade.triggers] } : {}),
          ...(grade.types ? { types: [...grade.types] } : {}),
        },
      ]),
    ),
    whistlerKinds: whistle.whistlers.map((rule) => rule.kind),
    maxDepartments: whistle.maxDepartments,
    answeredBy: Object.fromEntries(whistle.whistlers.map((rule) => [rule.kind, rule.answeredBy])),
    triggers: [...whistle.triggers],
    types: [...(whistle.types ?? [])],
    stayUntilDone: whistle.stayUntilDone,
    rating: { required: whistle.rating.required, veto: whistle.rating.veto },
  };
}
