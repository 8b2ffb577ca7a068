import { SATISFIED } from '../lifecycle/lifecycle.types';
import type { RoutingCatalogue } from '../routing/routing.types';
import { byText, hotspotsOf, problemCandidates } from './hotspots';
import { isScoreMonth, monthOf } from './month';
import {
  CITY_SCOPE,
  CaseExclusionRules,
  CaseScoreFacts,
  DepartmentAssessment,
  ExclusionReason,
  Rate,
  SCORED_UNIT_KINDS,
  ScoredUnitKind,
  ScoreInput,
  ScopeResult,
  ScoreReport,
  ScoreTerm,
  ScoringScope,
  ScoringPolicy,
  ScoringWeights,
  UnitAssessment,
  UnitCaseLists,
  UnitCounts,
  UnitScore,
  WhistleRatingFact,
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
  const assessment = policy.doubleAssessment;
  if (assessment && !(Number.isFinite(assessment.weight) && assessment.weight >= 0 && assessment.weight <= 100)) {
    problems.push('doubleAssessment.weight must be a number from 0 to 100');
  }
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
  if (fact.linkedCaseNo && policy.excludeDuplicates !== false) return { units, excludedFromAll: 'duplicate' };

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

/**
 * The composite score's terms: each rate with a denominator, weighted; for a department with an assessment of
 * weight w > 0, the rates' weights scaled by (100 − w) / Σ weights and the assessment term weighted w, so the
 * assessment is w percent of the score when every rate has cases.
 */
function scoreOf(
  rates: UnitScore['rates'],
  weights: ScoringWeights,
  assessment?: UnitAssessment,
): { score: number | null; terms: ScoreTerm[] } {
  const terms: ScoreTerm[] = [];
  const scored = assessment && assessment.weight > 0 ? assessment : undefined;
  const total = weights.response + weights.resolution + weights.satisfaction;
  const scale = scored ? (100 - scored.weight) / total : 1;
  for (const name of ['response', 'resolution', 'satisfaction'] as const) {
    const value = rates[name].value;
    const weight = weights[name] * scale;
    if (value === null || weight === 0) continue;
    terms.push({ rate: name, weight, value, points: weight * value });
  }
  if (scored) {
    terms.push({
      rate: 'assessment',
      weight: scored.weight,
      value: scored.value,
      points: scored.weight * scored.value,
    });
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
        vetoes: ratings.filter((r) => r.veto).length,
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
 * A department's double assessment of the month under `policy` (see {@link DoubleAssessmentPolicy}): its ratings,
 * their mean, the vetoes, and the value its score term takes. Undefined when nobody rated it.
 */
export function unitAssessmentOf(
  ratings: readonly (WhistleRatingFact & { caseNo: string })[],
  policy: ScoringPolicy,
): UnitAssessment | undefined {
  if (!ratings.length) return undefined;
  const average = round2(ratings.reduce((sum, r) => sum + r.score, 0) / ratings.length);
  const vetoCaseNos = [...new Set(ratings.filter((r) => r.veto).map((r) => r.caseNo))].sort(byText);
  const vetoed = Boolean(policy.doubleAssessment?.veto) && vetoCaseNos.length > 0;
  return {
    caseNos: [...new Set(ratings.map((r) => r.caseNo))].sort(byText),
    ratings: ratings.length,
    average,
    vetoCaseNos,
    vetoed,
    value: vetoed ? 0 : (average - 1) / 4,
    weight: policy.doubleAssessment?.weight ?? 0,
  };
}

/** The scopes of a run, the city first, and the scope of each unit a district scope claims. */
function scopesOf(input: ScoreInput): { scopes: ScoringScope[]; scopeOfUnit: (unitId: string) => ScoringScope } {
  const city: ScoringScope = { id: CITY_SCOPE, definition: input.definition ?? null, policy: input.policy };
  const scopes = [city, ...[...(input.districtScopes ?? [])].sort((a, b) => byText(a.id, b.id))];
  const byUnit = new Map<string, ScoringScope>();
  for (const scope of scopes.slice(1)) {
    if (scope.id === CITY_SCOPE)
      throw new ScoreError('invalid-policy', `a district scope cannot be named ${CITY_SCOPE}`);
    const problems = policyProblems(scope.policy);
    if (problems.length) {
      throw new ScoreError('invalid-policy', `invalid scoring policy of scope ${scope.id}: ${problems.join('; ')}`);
    }
    for (const unitId of [scope.id, ...(scope.unitIds ?? [])]) byUnit.set(unitId, scope);
  }
  return { scopes, scopeOfUnit: (unitId) => byUnit.get(unitId) ?? city };
}

/**
 * The month's scores: per unit counts (with the case numbers), the three rates, the composite score (with the double
 * assessment for departments where the policy weighs it), eligibility, rank and the bottom N per kind in each scope;
 * the double assessment; hotspots and problem-of-the-month candidates.
 * Each unit is judged under its scope's policy ({@link ScoringScope}): a case that counts for a city department and
 * for a district with a definition of its own is judged once under each. Deterministic: the same input gives the
 * same report (re-derive a stored run by passing its stored input).
 *
 * @throws ScoreError `invalid-month`, `invalid-policy`, or `fact-outside-month` when a case belongs to another
 * month (the loader and this function must agree on the month rule, {@link caseMonth}).
 */
export function computeScores(input: ScoreInput): ScoreReport {
  const { month, asOf, policy } = input;
  if (!isScoreMonth(month)) throw new ScoreError('invalid-month', `month must be 'YYYY-MM', got ${month}`);
  const problems = policyProblems(policy);
  if (problems.length) throw new ScoreError('invalid-policy', `invalid scoring policy: ${problems.join('; ')}`);
  const { scopes, scopeOfUnit } = scopesOf(input);

  const lists = new Map<string, { unitKind: ScoredUnitKind; scope: ScoringScope; lists: UnitCaseLists }>();
  const sorted = [...input.cases].sort((a, b) => byText(a.caseNo, b.caseNo));
  for (const fact of sorted) {
    if (caseMonth(fact) !== month) {
      throw new ScoreError('fact-outside-month', `case ${fact.caseNo} belongs to ${caseMonth(fact)}, not ${month}`);
    }
    const verdicts = new Map<ScoringScope, CaseVerdict>();
    const verdictUnder = (scope: ScoringScope) => {
      const verdict = verdicts.get(scope) ?? judgeCase(fact, scope.policy, asOf);
      verdicts.set(scope, verdict);
      return verdict;
    };
    for (const { unitId, unitKind } of verdictUnder(scopes[0]).units) {
      const scope = scopeOfUnit(unitId);
      const entry = lists.get(unitId) ?? { unitKind, scope, lists: emptyLists() };
      lists.set(unitId, entry);
      addVerdict(entry.lists, fact.caseNo, verdictUnder(scope));
    }
  }

  const doubleAssessment = doubleAssessmentOf(sorted);
  const units: UnitScore[] = [...lists.entries()].map(([unitId, { unitKind, scope, lists: caseLists }]) => {
    const counts = countsOf(caseLists);
    const rates = {
      response: rate(counts.respondedOnTime, counts.dispatched),
      resolution: rate(counts.solved, counts.rated),
      satisfaction: rate(counts.satisfied, counts.satisfactionRated),
    };
    const ratings = doubleAssessment.find((entry) => entry.departmentId === unitId)?.ratings ?? [];
    const assessment = unitKind === 'department' ? unitAssessmentOf(ratings, scope.policy) : undefined;
    const { score, terms } = scoreOf(rates, scope.policy.weights, assessment);
    const minSample = scope.policy.minSample;
    const eligible = counts.rated >= minSample;
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
        eligibility: `${counts.rated} rated case(s) ${eligible ? '≥' : '<'} minimum sample ${minSample}`,
        scope: { id: scope.id, definition: scope.definition },
        ...(assessment ? { assessment } : {}),
      },
    };
  });

  const results: ScopeResult[] = scopes.map((scope) => {
    const own = units.filter((unit) => unit.explanation.scope.id === scope.id);
    const bottom = {} as Record<ScoredUnitKind, string[]>;
    for (const kind of SCORED_UNIT_KINDS) {
      bottom[kind] = rankKind(
        own.filter((unit) => unit.unitKind === kind),
        scope.policy.bottomN,
      );
    }
    const { id, definition, unitIds } = scope;
    return { id, definition, policy: scope.policy, ...(unitIds ? { unitIds: [...unitIds].sort(byText) } : {}), bottom };
  });
  const kindOrder = (kind: ScoredUnitKind) => SCORED_UNIT_KINDS.indexOf(kind);
  const scopeOrder = (unit: UnitScore) => scopes.findIndex((scope) => scope.id === unit.explanation.scope.id);
  units.sort(
    (a, b) =>
      kindOrder(a.unitKind) - kindOrder(b.unitKind) ||
      scopeOrder(a) - scopeOrder(b) ||
      (a.rank ?? Infinity) - (b.rank ?? Infinity) ||
      byText(a.unitId, b.unitId),
  );

  return {
    month,
    asOf,
    policy,
    units,
    bottom: results[0].bottom,
    scopes: results,
    doubleAssessment,
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
