import { SATISFIED } from '../lifecycle/lifecycle.types';
import type { RoutingCatalogue } from '../routing/routing.types';
import { byText, hotspotsOf, problemCandidates } from './hotspots';
import { isScoreMonth, monthOf } from './month';
import {
  CaseExclusionRules,
  CaseScoreFacts,
  DepartmentAssessment,
  ExclusionReason,
  Rate,
  SCORED_UNIT_KINDS,
  ScoredUnitKind,
  ScoreInput,
  ScoreReport,
  ScoreTerm,
  ScoringPolicy,
  ScoringWeights,
  UnitCaseLists,
  UnitCounts,
  UnitScore,
} from './score.types';

/** Codes of {@link ScoreError}. */
export type ScoreErrorCode =
  /** The month is not `YYYY-MM`. */
  | 'invalid-month'
  /** A weight, the minimum sample, bottom N or the candidate rule is out of range. */
  | 'invalid-policy'
  /** A case's month (first dispatch, or reception for a case closed at intake) is not the month being scored. */
  | 'fact-outside-month';

/** Error thrown by the score functions; `code` is stable and machine-readable. */
export class ScoreError extends Error {
  override readonly name = 'ScoreError';

  constructor(
    readonly code: ScoreErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The month a case belongs to: the Asia/Shanghai month of its first dispatch (a return and re-dispatch never moves
 * it), or of its reception when it was closed at intake and never dispatched.
 */
export function caseMonth(fact: Pick<CaseScoreFacts, 'firstDispatchedAt' | 'receivedAt'>): string {
  return monthOf(fact.firstDispatchedAt ?? fact.receivedAt);
}

/** The exclusions that apply to a case: its process-definition version's where given, else the run's. */
export function exclusionRulesOf(policy: ScoringPolicy, rulesVersion: string): CaseExclusionRules {
  const own = policy.byRulesVersion?.[rulesVersion];
  return {
    excludedOutcomes: own?.excludedOutcomes ?? policy.excludedOutcomes,
    satisfactionExcludedCategories: own?.satisfactionExcludedCategories ?? policy.satisfactionExcludedCategories,
  };
}

/**
 * The policy with the routing catalogue's enforcement/mediation categories (`enforcementOrMediation`) added to the
 * satisfaction exclusions: the designer marks them in the catalogue, the scores follow.
 */
export function withCatalogueExclusions(policy: ScoringPolicy, catalogue: RoutingCatalogue): ScoringPolicy {
  const marked = catalogue.categories.filter((category) => category.enforcementOrMediation).map((c) => c.id);
  return {
    ...policy,
    satisfactionExcludedCategories: [...new Set([...policy.satisfactionExcludedCategories, ...marked])].sort(),
  };
}

/** Every problem with a policy, one sentence each; empty when it can be used. */
export function policyProblems(policy: ScoringPolicy): string[] {
  const problems: string[] = [];
  const weights = Object.entries(policy.weights) as [keyof ScoringWeights, number][];
  for (const [name, weight] of weights) {
    if (!Number.isFinite(weight) || weight < 0) problems.push(`weights.${name} must be a number ≥ 0`);
  }
  if (weights.reduce((sum, [, weight]) => sum + (Number.isFinite(weight) ? weight : 0), 0) <= 0) {
    problems.push('the weights must not all be 0');
  }
  const whole = (value: number, name: string, min: number) => {
    if (!Number.isInteger(value) || value < min) problems.push(`${name} must be a whole number ≥ ${min}`);
  };
  whole(policy.minSample, 'minSample', 0);
  whole(policy.bottomN, 'bottomN', 0);
  whole(policy.problemOfTheMonth.minCases, 'problemOfTheMonth.minCases', 1);
  whole(policy.problemOfTheMonth.top, 'problemOfTheMonth.top', 0);
  return problems;
}

/** How one case counts for its units: which figures it enters, and why it is left out of the others. */
export interface CaseVerdict {
  /** The units it counts for: the lead street/township or department, and the district of its place. */
  units: { unitId: string; unitKind: ScoredUnitKind }[];
  /** Left out of every rate (a duplicate, or closed at intake). */
  excludedFromAll?: ExclusionReason;
  /** Response: met both deadlines, missed one, or not decided yet (`response-pending`). */
  response?: 'on-time' | 'late' | 'pending';
  /** Resolution: counted (rated) or why not. */
  rated?: true | ExclusionReason;
  solved?: boolean;
  /** Satisfaction: counted or why not (only for rated cases). */
  satisfaction?: 'satisfied' | 'dissatisfied' | ExclusionReason;
}

const STREET_KINDS = new Set(['street', 'township']);
const after = (a: string, b: string) => Date.parse(a) > Date.parse(b);

/** Judges one case under the policy as of `asOf` (an ISO instant); see {@link CaseVerdict}. */
export function judgeCase(fact: CaseScoreFacts, policy: ScoringPolicy, asOf: string): CaseVerdict {
  const units: CaseVerdict['units'] = [];
  if (fact.leadUnitId && fact.leadUnitKind && STREET_KINDS.has(fact.leadUnitKind)) {
    units.push({ unitId: fact.leadUnitId, unitKind: 'street' });
  } else if (fact.leadUnitId && fact.leadUnitKind === 'department') {
    units.push({ unitId: fact.leadUnitId, unitKind: 'department' });
  }
  // A district answers for every case of its territory, whoever led it; a case routed to the district itself too.
  const district = fact.districtId ?? (fact.leadUnitKind === 'district' ? fact.leadUnitId : undefined);
  if (district) units.push({ unitId: district, unitKind: 'district' });

  if (!fact.firstDispatchedAt || !fact.response) {
    return { units, excludedFromAll: fact.outcome ?? 'awaiting-callback' };
  }
  if (fact.linkedCaseNo) return { units, excludedFromAll: 'duplicate' };

  const rules = exclusionRulesOf(policy, fact.rulesVersion);
  return { units, response: responseOf(fact.response, asOf), ...ratingOf(fact, rules) };
}

/** On time when signed and contacted, each by its deadline (a missing deadline sets no limit). */
function responseOf(r: NonNullable<CaseScoreFacts['response']>, asOf: string): CaseVerdict['response'] {
  const step = (done: string | undefined, due: string | undefined): 'met' | 'missed' | 'open' => {
    if (done) return due && after(done, due) ? 'missed' : 'met';
    return due && after(asOf, due) ? 'missed' : 'open';
  };
  const sign = step(r.signedAt, r.signDue);
  const contact = step(r.contactedAt, r.contactDue);
  if (sign === 'missed' || contact === 'missed') return 'late';
  return sign === 'met' && contact === 'met' ? 'on-time' : 'pending';
}

function ratingOf(
  fact: CaseScoreFacts,
  rules: CaseExclusionRules,
): Pick<CaseVerdict, 'rated' | 'solved' | 'satisfaction'> {
  if (fact.outcome && rules.excludedOutcomes.includes(fact.outcome)) return { rated: fact.outcome };
  // Only the final call-back counts: a case in re-handling has not been rated yet.
  if (!fact.callback || !fact.outcome) return { rated: fact.outcome ?? 'awaiting-callback' };
  const satisfaction = rules.satisfactionExcludedCategories.includes(fact.category)
    ? 'enforcement-or-mediation'
    : SATISFIED.includes(fact.callback.satisfaction)
      ? 'satisfied'
      : 'dissatisfied';
  return { rated: true, solved: fact.callback.solved, satisfaction };
}

const rate = (numerator: number, denominator: number): Rate => ({
  numerator,
  denominator,
  value: denominator === 0 ? null : numerator / denominator,
});

/** Rounds to 0.01 (half away from zero, guarded against binary noise such as 67.745 stored as 67.74499…). */
export const round2 = (value: number): number => Math.round(value * 100 + Math.sign(value) * 1e-9) / 100;

function emptyLists(): UnitCaseLists {
  return {
    cases: [],
    dispatched: [],
    respondedOnTime: [],
    respondedLate: [],
    rated: [],
    solved: [],
    satisfactionRated: [],
    satisfied: [],
    excluded: {},
  };
}

function addVerdict(lists: UnitCaseLists, caseNo: string, verdict: CaseVerdict): void {
  const exclude = (reason: ExclusionReason): void => {
    (lists.excluded[reason] ??= []).push(caseNo);
  };
  lists.cases.push(caseNo);
  if (verdict.excludedFromAll) return exclude(verdict.excludedFromAll);
  if (verdict.response === 'pending') exclude('response-pending');
  else {
    lists.dispatched.push(caseNo);
    (verdict.response === 'on-time' ? lists.respondedOnTime : lists.respondedLate).push(caseNo);
  }
  if (verdict.rated !== true) return exclude(verdict.rated ?? 'awaiting-callback');
  lists.rated.push(caseNo);
  if (verdict.solved) lists.solved.push(caseNo);
  if (verdict.satisfaction === 'satisfied' || verdict.satisfaction === 'dissatisfied') {
    lists.satisfactionRated.push(caseNo);
    if (verdict.satisfaction === 'satisfied') lists.satisfied.push(caseNo);
  } else if (verdict.satisfaction) {
    exclude(verdict.satisfaction);
  }
}

function countsOf(lists: UnitCaseLists): UnitCounts {
  const excluded: UnitCounts['excluded'] = {};
  for (const [reason, caseNos] of Object.entries(lists.excluded)) excluded[reason as ExclusionReason] = caseNos.length;
  return {
    cases: lists.cases.length,
    dispatched: lists.dispatched.length,
    respondedOnTime: lists.respondedOnTime.length,
    rated: lists.rated.length,
    solved: lists.solved.length,
    satisfactionRated: lists.satisfactionRated.length,
    satisfied: lists.satisfied.length,
    excluded,
  };
}

function scoreOf(rates: UnitScore['rates'], weights: ScoringWeights): { score: number | null; terms: ScoreTerm[] } {
  const terms: ScoreTerm[] = [];
  for (const name of ['response', 'resolution', 'satisfaction'] as const) {
    const value = rates[name].value;
    if (value === null || weights[name] === 0) continue;
    terms.push({ rate: name, weight: weights[name], value, points: weights[name] * value });
  }
  const weight = terms.reduce((sum, term) => sum + term.weight, 0);
  if (weight === 0) return { score: null, terms };
  return { score: round2((100 * terms.reduce((sum, term) => sum + term.points, 0)) / weight), terms };
}

/** Ranks the eligible units of one kind (1 = best; equal scores share a rank) and marks the bottom N. */
function rankKind(units: UnitScore[], bottomN: number): string[] {
  const eligible = units.filter((unit) => unit.eligible && unit.score !== null);
  const scores = eligible.map((unit) => unit.score as number);
  for (const unit of eligible) {
    const higher = scores.filter((score) => score > (unit.score as number)).length;
    const lower = scores.filter((score) => score < (unit.score as number)).length;
    unit.rank = higher + 1;
    // In the bottom N when fewer than N eligible units score lower: ties at the cut are all listed.
    unit.bottom = lower < bottomN;
    unit.explanation.ranking = { eligibleUnits: eligible.length, higherScores: higher, lowerScores: lower };
  }
  return eligible
    .filter((unit) => unit.bottom)
    .sort((a, b) => (a.score as number) - (b.score as number) || byText(a.unitId, b.unitId))
    .map((unit) => unit.unitId);
}

/** The double assessment: each whistled department's ratings by the units that whistled it, and their means. */
export function doubleAssessmentOf(cases: readonly CaseScoreFacts[]): DepartmentAssessment[] {
  const byDepartment = new Map<string, DepartmentAssessment['ratings']>();
  for (const fact of cases) {
    for (const rating of fact.whistleRatings) {
      const list = byDepartment.get(rating.departmentId) ?? [];
      list.push({ caseNo: fact.caseNo, ...rating });
      byDepartment.set(rating.departmentId, list);
    }
  }
  const mean = (list: { score: number }[]) => round2(list.reduce((sum, r) => sum + r.score, 0) / list.length);
  return [...byDepartment.entries()]
    .map(([departmentId, ratings]) => {
      ratings.sort((a, b) => byText(a.caseNo, b.caseNo) || a.round - b.round);
      const whistlers = [...new Set(ratings.map((r) => r.whistlerUnitId))].sort();
      return {
        departmentId,
        count: ratings.length,
        average: mean(ratings),
        byWhistler: whistlers.map((whistlerUnitId) => {
          const own = ratings.filter((r) => r.whistlerUnitId === whistlerUnitId);
          return { whistlerUnitId, count: own.length, average: mean(own) };
        }),
        ratings,
      };
    })
    .sort((a, b) => b.average - a.average || byText(a.departmentId, b.departmentId));
}

/**
 * The month's scores: per unit counts (with the case numbers), the three rates, the composite score, eligibility,
 * rank and the bottom N per kind; the double assessment; hotspots and problem-of-the-month candidates.
 * Deterministic: the same input gives the same report (re-derive a stored run by passing its stored input).
 *
 * @throws ScoreError `invalid-month`, `invalid-policy`, or `fact-outside-month` when a case belongs to another
 * month (the loader and this function must agree on the month rule, {@link caseMonth}).
 */
export function computeScores(input: ScoreInput): ScoreReport {
  const { month, asOf, policy } = input;
  if (!isScoreMonth(month)) throw new ScoreError('invalid-month', `month must be 'YYYY-MM', got ${month}`);
  const problems = policyProblems(policy);
  if (problems.length) throw new ScoreError('invalid-policy', `invalid scoring policy: ${problems.join('; ')}`);

  const lists = new Map<string, { unitKind: ScoredUnitKind; lists: UnitCaseLists }>();
  const sorted = [...input.cases].sort((a, b) => byText(a.caseNo, b.caseNo));
  for (const fact of sorted) {
    if (caseMonth(fact) !== month) {
      throw new ScoreError('fact-outside-month', `case ${fact.caseNo} belongs to ${caseMonth(fact)}, not ${month}`);
    }
    const verdict = judgeCase(fact, policy, asOf);
    for (const { unitId, unitKind } of verdict.units) {
      const entry = lists.get(unitId) ?? { unitKind, lists: emptyLists() };
      lists.set(unitId, entry);
      addVerdict(entry.lists, fact.caseNo, verdict);
    }
  }

  const units: UnitScore[] = [...lists.entries()].map(([unitId, { unitKind, lists: caseLists }]) => {
    const counts = countsOf(caseLists);
    const rates = {
      response: rate(counts.respondedOnTime, counts.dispatched),
      resolution: rate(counts.solved, counts.rated),
      satisfaction: rate(counts.satisfied, counts.satisfactionRated),
    };
    const { score, terms } = scoreOf(rates, policy.weights);
    const eligible = counts.rated >= policy.minSample;
    return {
      unitId,
      unitKind,
      counts,
      rates,
      score,
      eligible,
      rank: null,
      bottom: false,
      explanation: {
        ...caseLists,
        scoreTerms: terms,
        eligibility: `${counts.rated} rated case(s) ${eligible ? '≥' : '<'} minimum sample ${policy.minSample}`,
      },
    };
  });

  const bottom = {} as Record<ScoredUnitKind, string[]>;
  for (const kind of SCORED_UNIT_KINDS) {
    bottom[kind] = rankKind(
      units.filter((unit) => unit.unitKind === kind),
      policy.bottomN,
    );
  }
  const kindOrder = (kind: ScoredUnitKind) => SCORED_UNIT_KINDS.indexOf(kind);
  units.sort(
    (a, b) =>
      kindOrder(a.unitKind) - kindOrder(b.unitKind) ||
      (a.rank ?? Infinity) - (b.rank ?? Infinity) ||
      byText(a.unitId, b.unitId),
  );

  return {
    month,
    asOf,
    policy,
    units,
    bottom,
    doubleAssessment: doubleAssessmentOf(sorted),
    hotspots: hotspotsOf(month, sorted, input.baseline),
    candidates: problemCandidates(month, sorted, input.baseline, policy.problemOfTheMonth),
  };
}

/** A number as auditors read it: at most 4 decimals, no trailing zeros. */
const figure = (value: number): string => String(Math.round(value * 10_000) / 10_000);

/**
 * Each figure of a unit with its numbers plugged in, e.g. `respondedOnTime / dispatched = 4 / 5 = 0.8` and
 * `score = 100 × (24 + 26.25 + 23.3333) / (30 + 35 + 35) = 73.58`.
 */
export function formulasOf(unit: Pick<UnitScore, 'rates' | 'score' | 'explanation'>): {
  response: string;
  resolution: string;
  satisfaction: string;
  score: string;
} {
  const line = (name: string, r: Rate) =>
    `${name} = ${r.numerator} / ${r.denominator} = ${r.value === null ? 'n/a (no cases)' : figure(r.value)}`;
  const terms = unit.explanation.scoreTerms;
  return {
    response: line('respondedOnTime / dispatched', unit.rates.response),
    resolution: line('solved / rated', unit.rates.resolution),
    satisfaction: line('satisfied / satisfactionRated', unit.rates.satisfaction),
    score:
      unit.score === null
        ? 'score = n/a (no rate has cases)'
        : `score = 100 × (${terms.map((t) => figure(t.points)).join(' + ')}) / (${terms
            .map((t) => figure(t.weight))
            .join(' + ')}) = ${unit.score}`,
  };
}
