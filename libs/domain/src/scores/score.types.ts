import type { CaseKind } from '../case/case.types';
import type { CaseOutcome } from '../lifecycle/case-lifecycle';
import type { Satisfaction } from '../lifecycle/lifecycle.types';
import type { OrgUnitKind } from '../org/org.types';

/*
 * The monthly 三率 scores (response, resolution and satisfaction rates), rankings, the double assessment (双考核),
 * hotspots and problem-of-the-month (每月一题) candidates. Everything here is plain data: facts in, figures out, each
 * figure with the case numbers behind it (docs/auditors.md, "Scores").
 */

/** A calendar month in Asia/Shanghai, `YYYY-MM`. */
export type ScoreMonth = string;

/** What started a score run: the monthly Temporal Schedule, or a person asking (`POST /api/v1/scores/runs`). */
export const SCORE_TRIGGERS = ['schedule', 'on-demand'] as const;
export type ScoreTrigger = (typeof SCORE_TRIGGERS)[number];

/** The three kinds of unit that are scored and ranked; a township is ranked with the streets. */
export const SCORED_UNIT_KINDS = ['street', 'department', 'district'] as const;
export type ScoredUnitKind = (typeof SCORED_UNIT_KINDS)[number];

/** Weights of the composite score; the score is `100 × Σ(weight × rate) / Σ weight`, so only their ratio matters. */
export interface ScoringWeights {
  readonly response: number;
  readonly resolution: number;
  readonly satisfaction: number;
}

/** The exclusions a process definition decides per case. */
export interface CaseExclusionRules {
  /**
   * Cases closed with one of these outcomes are left out of the rated cases (resolution and satisfaction), even when
   * an earlier call-back reached the citizen. Default `unreachable`: DESIGN.md §3 excludes unreachable citizens. (Cases
   * closed at intake — emergency diverted, inadmissible, answered on the spot — are never dispatched, so they are in
   * no rate whatever this list says.)
   */
  readonly excludedOutcomes: readonly CaseOutcome[];
  /**
   * Categories whose ratings are left out of the satisfaction rate (enforcement or mediation: a citizen who was fined
   * or lost a dispute rates the outcome, not the service). They still count for resolution.
   */
  readonly satisfactionExcludedCategories: readonly string[];
}

/**
 * The double assessment (双考核) in a department's composite score. A department with whistle ratings in the month
 * gets a fourth score term, `assessment`, worth `weight` percent of the score; the three rates share the rest in
 * their own ratio. The term's value is `(mean rating − 1) / 4` (5 → 1, 1 → 0), or 0 when a rating of the month
 * carried a veto and `veto` is on: a veto fails the department's assessment for the month (docs/rules.md).
 */
export interface DoubleAssessmentPolicy {
  /** Percent of a department's score, 0 … 100; 0: the ratings are published, not scored. */
  readonly weight: number;
  /** Whistlers' vetoes count (Pinggu); off: a recorded veto is shown but changes nothing. */
  readonly veto: boolean;
}

/** How the scores are computed: weights, exclusions, the minimum sample, how many units the bottom list names. */
export interface ScoringPolicy extends CaseExclusionRules {
  readonly weights: ScoringWeights;
  /**
   * Cases opened beside an open case they repeat are left out of every rate (default, absent: true). False: they
   * count like any case (the definition does not list `duplicate` among its exclusions).
   */
  readonly excludeDuplicates?: boolean;
  /** The double assessment's share in departments' scores; absent: weight 0 (published only). */
  readonly doubleAssessment?: DoubleAssessmentPolicy;
  /** Rated cases a unit needs in the month to be ranked (eligible). */
  readonly minSample: number;
  /** How many of the lowest-ranked eligible units of each kind are listed (ties at the cut are all listed). */
  readonly bottomN: number;
  /** Problem-of-the-month candidates: categories with at least `minCases` cases in the month, the `top` first. */
  readonly problemOfTheMonth: { readonly minCases: number; readonly top: number };
  /**
   * Exclusions of the process-definition versions cases are pinned to (`rulesVersion`), where they differ from the
   * fields above. Weights, minimum sample and bottom N are per run (they rank units, not cases).
   */
  readonly byRulesVersion?: Readonly<Record<string, Partial<CaseExclusionRules>>>;
}

/** The default policy (DESIGN.md §3): weights 30 / 35 / 35, ranked from 10 rated cases, bottom 10 listed. */
export const DEFAULT_SCORING_POLICY: ScoringPolicy = {
  weights: { response: 30, resolution: 35, satisfaction: 35 },
  minSample: 10,
  bottomN: 10,
  excludedOutcomes: ['unreachable'],
  satisfactionExcludedCategories: [],
  problemOfTheMonth: { minCases: 5, top: 5 },
};

/** A whistler's rating of a department in one whistle round of the case (双考核). */
export interface WhistleRatingFact {
  round: number;
  /** The unit that whistled and rated (a street/township or community). */
  whistlerUnitId: string;
  departmentId: string;
  /** 1 (worst) … 5 (best). */
  score: number;
  /** ISO instant of the rating. */
  at: string;
  /** The whistler vetoed the department's assessment with this rating (only where the definition allows it). */
  veto?: boolean;
}

/**
 * A scope of the scores: the units one process definition governs. The city scope holds every unit no district
 * scope claims; a district with a definition of its own (`jurisdiction.districtId`) is a scope of its own: the
 * district, its streets/townships and its departments are judged, scored, ranked and listed under its policy.
 */
export interface ScoringScope {
  /** `city`, or the district's id. */
  id: string;
  /** Label of the published version the policy comes from (`suyu@1`); null: the built-in default policy. */
  definition: string | null;
  policy: ScoringPolicy;
  /** District scopes: the unit ids the scope holds (the district and every unit under it). */
  unitIds?: string[];
}

/** The city scope's id. */
export const CITY_SCOPE = 'city';

/**
 * The response of the unit that got the case's last dispatch: its first sign and first contact after that dispatch,
 * against the sign and contact deadlines that dispatch stamped. Instants are ISO strings.
 */
export interface ResponseFacts {
  dispatchedAt: string;
  signDue?: string;
  signedAt?: string;
  contactDue?: string;
  contactedAt?: string;
}

/** The final call-back that reached the citizen: solved or not, and how satisfied. */
export interface CallbackFacts {
  solved: boolean;
  satisfaction: Satisfaction;
  at: string;
}

/**
 * What scoring needs to know of one case: operational facts only, never personal data. Loaded from `cases` and
 * `case_events` by the `loadMonthFacts` activity and stored with each run, so every figure can be re-derived.
 */
export interface CaseScoreFacts {
  caseNo: string;
  kind: CaseKind;
  category: string;
  /** Process-definition version the case is pinned to (selects `byRulesVersion` exclusions). */
  rulesVersion: string;
  receivedAt: string;
  /** The case's first dispatch: it puts the case in its month. Absent for cases closed at intake. */
  firstDispatchedAt?: string;
  /** The lead unit after the last dispatch or hand-over, and its kind in the org tree. */
  leadUnitId?: string;
  leadUnitKind?: OrgUnitKind;
  /** The place: street/township and district. */
  streetId?: string;
  districtId?: string;
  /** Absent for cases closed at intake. */
  response?: ResponseFacts;
  /** Absent until a call-back reached the citizen. */
  callback?: CallbackFacts;
  /** Absent while the case is open. */
  outcome?: CaseOutcome;
  /** Set when the case was opened beside an open case it duplicates (a repeat with new facts). */
  linkedCaseNo?: string;
  /** Repeat contacts linked to this case (duplicates, with or without a case of their own). */
  repeatCount: number;
  whistleRatings: WhistleRatingFact[];
}

/** The few facts hotspots need, for the month before (the baseline of growth). */
export type HotspotCaseFacts = Pick<
  CaseScoreFacts,
  'caseNo' | 'category' | 'streetId' | 'districtId' | 'repeatCount' | 'linkedCaseNo'
>;

/** Everything one run computes from: the month's cases and the previous month's, as of an instant. */
export interface ScoreInput {
  month: ScoreMonth;
  /** ISO instant the figures are as of: a sign or contact deadline still running then makes a response pending. */
  asOf: string;
  cases: readonly CaseScoreFacts[];
  /** Cases of the month before (`previousMonthOf(month)`), for hotspot growth. */
  baseline: readonly HotspotCaseFacts[];
  /** The city scope's policy (and the problem-of-the-month rule). */
  policy: ScoringPolicy;
  /** The version the city policy comes from; absent or null: the built-in default. */
  definition?: string | null;
  /** Districts with a definition of their own. */
  districtScopes?: readonly ScoringScope[];
}

/**
 * Why a case is left out of a figure:
 * - `duplicate`: opened beside an open case it repeats (the open case carries the matter) — out of every rate;
 * - `emergency-diverted`, `inadmissible`, `answered-at-intake`: closed at intake, never dispatched — out of every rate;
 * - `response-pending`: a sign or contact deadline still running, not yet met — out of the response rate this run;
 * - `awaiting-callback`: no final call-back yet (open, or re-handling) — out of resolution and satisfaction;
 * - an outcome of `excludedOutcomes` (e.g. `unreachable`) — out of resolution and satisfaction;
 * - `enforcement-or-mediation`: a category of `satisfactionExcludedCategories` — out of satisfaction only.
 */
export type ExclusionReason =
  | 'duplicate'
  | 'response-pending'
  | 'awaiting-callback'
  | 'enforcement-or-mediation'
  | CaseOutcome;

/** The counts behind a unit's rates. */
export interface UnitCounts {
  /** Every case of the unit in the month, excluded ones included. */
  cases: number;
  /** Response denominator: dispatched cases whose response is decided (met, or a deadline missed). */
  dispatched: number;
  /** Signed and contacted, each by its deadline. */
  respondedOnTime: number;
  /** Resolution denominator: cases with a final call-back that reached the citizen. */
  rated: number;
  /** Rated cases the citizen called solved. */
  solved: number;
  /** Satisfaction denominator: rated cases outside the satisfaction-excluded categories. */
  satisfactionRated: number;
  /** Very satisfied, satisfied or basically satisfied. */
  satisfied: number;
  /** Cases left out of some figure, by reason (only reasons that occurred). */
  excluded: Partial<Record<ExclusionReason, number>>;
}

/** The case numbers behind each count of {@link UnitCounts}, sorted. */
export interface UnitCaseLists {
  cases: string[];
  dispatched: string[];
  respondedOnTime: string[];
  /** Dispatched but not responded on time (signed or contacted late, or a deadline passed without it). */
  respondedLate: string[];
  rated: string[];
  solved: string[];
  satisfactionRated: string[];
  satisfied: string[];
  excluded: Partial<Record<ExclusionReason, string[]>>;
}

/** One rate: numerator / denominator; `value` is null when the denominator is 0. */
export interface Rate {
  numerator: number;
  denominator: number;
  value: number | null;
}

/** One term of the composite score: `points = weight × value`; `assessment`: the double assessment (departments). */
export interface ScoreTerm {
  rate: keyof ScoringWeights | 'assessment';
  weight: number;
  value: number;
  points: number;
}

/** How a unit's score and rank came about. */
export interface UnitExplanation extends UnitCaseLists {
  /**
   * The terms of the score. A rate without a denominator is left out and the other weights carry the score
   * (`score = 100 × Σ points / Σ weight` of the terms present).
   */
  scoreTerms: ScoreTerm[];
  /** `rated ≥ minSample`, spelled out. */
  eligibility: string;
  /** How the rank came about, when eligible: eligible units of the kind, and how many scored higher. */
  ranking?: { eligibleUnits: number; higherScores: number; lowerScores: number };
  /** The scope the unit is judged, scored and ranked in, and the version its policy came from. */
  scope: { id: string; definition: string | null };
  /** Departments with whistle ratings in the month: the double assessment as it entered the score. */
  assessment?: UnitAssessment;
}

/** A department's double assessment of the month as its score counts it. */
export interface UnitAssessment {
  /** Cases with a rating of the department (sorted). */
  caseNos: string[];
  ratings: number;
  /** Mean rating, rounded to 0.01. */
  average: number;
  /** Cases whose rating carried a veto. */
  vetoCaseNos: string[];
  /** A veto counted (the policy allows vetoes and one was cast): the value is 0. */
  vetoed: boolean;
  /** 0 … 1: `(average − 1) / 4`, or 0 when vetoed. */
  value: number;
  /** Percent of the score (the policy's weight); 0: published, not scored. */
  weight: number;
}

/** A unit's figures for the month. */
export interface UnitScore {
  unitId: string;
  unitKind: ScoredUnitKind;
  counts: UnitCounts;
  rates: { response: Rate; resolution: Rate; satisfaction: Rate };
  /** 0 … 100, rounded to 0.01; null when no rate has a denominator. */
  score: number | null;
  /** At least `minSample` rated cases. */
  eligible: boolean;
  /** 1 = best among eligible units of its kind; ties share a rank; null when not eligible. */
  rank: number | null;
  /** Among the bottom N of its kind in its scope. */
  bottom: boolean;
  explanation: UnitExplanation;
}

/** The double assessment (双考核) of one department: how the units that whistled it rated it. */
export interface DepartmentAssessment {
  departmentId: string;
  count: number;
  /** Mean score, rounded to 0.01. */
  average: number;
  /** Ratings that carried a veto. */
  vetoes: number;
  byWhistler: { whistlerUnitId: string; count: number; average: number }[];
  ratings: (WhistleRatingFact & { caseNo: string })[];
}

/** Cases of one category in one street (or district, when the place has no street) in one month. */
export interface Hotspot {
  month: ScoreMonth;
  category: string;
  districtId: string | null;
  streetId: string | null;
  cases: number;
  /** Σ repeat contacts of those cases: how often citizens came back about them. */
  repeatContacts: number;
  /** Those cases that are themselves duplicates of an open case. */
  duplicates: number;
  caseNos: string[];
}

/** A problem-of-the-month candidate: a category with many, recurring or growing cases (rule: docs/auditors.md). */
export interface ProblemCandidate {
  category: string;
  cases: number;
  previousCases: number;
  /** `cases − previousCases`. */
  growth: number;
  repeatContacts: number;
  /** Streets (or districts, for places without a street) with cases of the category. */
  areas: string[];
  caseNos: string[];
  /** The figures in one sentence. */
  reason: string;
}

/** One scope's result: the version its policy came from, and its bottom lists. */
export interface ScopeResult {
  /** `city`, or a district id. */
  id: string;
  definition: string | null;
  policy: ScoringPolicy;
  /** District scopes: the unit ids the scope holds. */
  unitIds?: string[];
  /** Per kind: unit ids of the scope's bottom N (its policy's `bottomN`), worst first. */
  bottom: Record<ScoredUnitKind, string[]>;
}

/** Everything a run publishes. */
export interface ScoreReport {
  month: ScoreMonth;
  asOf: string;
  /** The city scope's policy. */
  policy: ScoringPolicy;
  /** Units ordered by kind, then scope (the city first), then rank (ineligible last), then id. */
  units: UnitScore[];
  /** Per kind: unit ids of the city scope's bottom N, worst first (each district scope's are in `scopes`). */
  bottom: Record<ScoredUnitKind, string[]>;
  /**
   * Every scope, the city first: which version's policy it used and its bottom lists. Rankings never cross scopes
   * (two definitions weigh differently). This is what rectification reads: the bottom units of each scope.
   */
  scopes: ScopeResult[];
  doubleAssessment: DepartmentAssessment[];
  hotspots: Hotspot[];
  candidates: ProblemCandidate[];
}

/** What `score_runs.inputs` records: how many facts the run stored and the SHA-256 that fixes them. */
export interface ScoreRunInputs {
  cases: number;
  baselineCases: number;
  window: { from: string; to: string };
  baselineWindow: { from: string; to: string };
  /** SHA-256 of the canonical JSON (keys sorted) of `{ month, cases, baseline }` (cases in case-number order). */
  sha256: string;
}
