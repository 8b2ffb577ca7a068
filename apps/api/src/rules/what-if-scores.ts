import { addDuration, WorkCalendar } from '../../../../libs/domain/src/calendar';
import type { CaseKind } from '../../../../libs/domain/src/case/case.types';
import type { CaseOutcome } from '../../../../libs/domain/src/lifecycle/case-lifecycle';
import type { Satisfaction } from '../../../../libs/domain/src/lifecycle/lifecycle.types';
import { findUnit } from '../../../../libs/domain/src/org';
import type { OrgTree, OrgUnitKind } from '../../../../libs/domain/src/org/org.types';
import type { ProcessDefinition } from '../../../../libs/domain/src/rules';
import {
  caseMonth,
  CaseScoreFacts,
  computeScores,
  DEFAULT_SCORING_POLICY,
  Rate,
  ResponseFacts,
  SCORED_UNIT_KINDS,
  ScoredUnitKind,
  ScoreReport,
  ScoringPolicy,
  scoringPolicyOfDefinition,
  UnitScore,
} from '../../../../libs/domain/src/scores';
import { limitsOf, RecordedCase } from './what-if';

/*
 * What-if of the monthly 三率 scores: the sampled recorded cases scored by `computeScores` under the scoring policy of
 * the versions they are pinned to and under the draft's, unit by unit. The only per-case input a definition changes
 * is the sign and contact deadlines (laid again from the last dispatch, as `compareCase` lays them); everything else
 * is what the monthly run reads of a case (`loadMonthFacts`). Pure.
 */

/**
 * What the monthly scores read of a recorded case (as `loadMonthFacts` reads it from `cases` and `case_events`),
 * without the sign and contact deadlines its dispatch stamped: the what-if lays those under each definition. Whistle
 * ratings are left out (the double assessment does not depend on the definition).
 */
export type RecordedScoreFacts = Omit<CaseScoreFacts, 'response' | 'whistleRatings'> & {
  /** The last dispatch and the lead unit's first sign and first contact after it. */
  response?: Omit<ResponseFacts, 'signDue' | 'contactDue'>;
};

/** The columns of a recorded case the scores read (the service's query selects them as `loadMonthFacts` does). */
export interface ScoreFactsRow {
  caseNo: string;
  rulesVersion: string;
  kind: CaseKind;
  category: string;
  streetId: string | null;
  districtId: string | null;
  receivedAt: Date;
  leadUnitId: string | null;
  /** From `org_units`; null when it does not know the unit. */
  leadUnitKind: OrgUnitKind | null;
  outcome: CaseOutcome | null;
  linkedCaseNo: string | null;
  repeatCount: number;
  /** The first and the last `dispatched` event. */
  firstDispatchedAt: Date | null;
  lastDispatchedAt: Date | null;
  /** The first `signed` and `contacted` events after the last dispatch. */
  firstSignedAt: Date | null;
  firstContactedAt: Date | null;
  /** The last `called-back` event. */
  calledBackAt: Date | null;
  callback: { solved?: unknown; satisfaction?: unknown } | null;
}

const SATISFACTIONS: readonly Satisfaction[] = [
  'very-satisfied',
  'satisfied',
  'basically-satisfied',
  'dissatisfied',
  'very-dissatisfied',
];

/**
 * A case's score facts from its row, by the rules of `loadMonthFacts`: the response is the last dispatch's, the
 * call-back the last one and only when it reached the citizen (solved or not, and a satisfaction on the scale), the
 * lead unit's kind from `org_units`, else from `tree`.
 */
export function recordedScoreFacts(row: ScoreFactsRow, tree: OrgTree): RecordedScoreFacts {
  const iso = (value: Date | null) => value?.toISOString();
  const leadUnitId = row.leadUnitId ?? undefined;
  const satisfaction = row.callback?.satisfaction as Satisfaction;
  const reached = typeof row.callback?.solved === 'boolean' && SATISFACTIONS.includes(satisfaction);
  return {
    caseNo: row.caseNo,
    kind: row.kind,
    category: row.category,
    rulesVersion: row.rulesVersion,
    receivedAt: row.receivedAt.toISOString(),
    firstDispatchedAt: iso(row.firstDispatchedAt),
    leadUnitId,
    leadUnitKind: row.leadUnitKind ?? (leadUnitId ? findUnit(tree, leadUnitId)?.kind : undefined),
    streetId: row.streetId ?? undefined,
    districtId: row.districtId ?? undefined,
    response: row.lastDispatchedAt
      ? {
          dispatchedAt: row.lastDispatchedAt.toISOString(),
          signedAt: iso(row.firstSignedAt),
          contactedAt: iso(row.firstContactedAt),
        }
      : undefined,
    callback:
      reached && row.calledBackAt
        ? { solved: row.callback!.solved as boolean, satisfaction, at: row.calledBackAt.toISOString() }
        : undefined,
    outcome: row.outcome ?? undefined,
    linkedCaseNo: row.linkedCaseNo ?? undefined,
    repeatCount: row.repeatCount,
  };
}

/** One case's score facts under its pinned version (`before`) and under the draft (`after`). */
export interface ScoredCase {
  before: CaseScoreFacts;
  after: CaseScoreFacts;
}

/**
 * The policy `computeScores` takes, from a definition's `scoring` section: the one the monthly run scores a scope with
 * (`scoringPolicyOfDefinition`), so that a what-if answers what the run would.
 */
export function scoringPolicyOf(definition: ProcessDefinition): ScoringPolicy {
  return scoringPolicyOfDefinition(definition);
}

/**
 * The case's score facts under `before` and `after`: its sign and contact deadlines laid from its last dispatch with
 * each definition's limits for its category and urgency, on `calendar` (`addDuration`, as the workflow lays them).
 * Undefined when the case is in no month's scores: no score facts were loaded, or it was neither dispatched nor
 * closed at intake (the monthly run's rule).
 * @throws Error when a definition's catalogue has no category for the case (it cannot be scored under it).
 * @throws CalendarError when the dispatch lies outside the calendar's covered range.
 */
export function scoreFactsOf(
  recorded: RecordedCase,
  before: ProcessDefinition,
  after: ProcessDefinition,
  calendar: WorkCalendar,
): ScoredCase | undefined {
  const facts = recorded.scoring;
  if (!facts || (!facts.firstDispatchedAt && !facts.outcome)) return undefined;
  const under = (definition: ProcessDefinition, which: string): CaseScoreFacts => {
    const { response, ...rest } = facts;
    if (!response) return { ...rest, whistleRatings: [] };
    const limits = limitsOf(definition, recorded.facts);
    if (!limits) throw new Error(`${which} has no category ${recorded.facts.category} to lay its deadlines`);
    const due = (duration: string) => addDuration(calendar, new Date(response.dispatchedAt), duration).due;
    const laid = { signDue: due(limits.sign).toISOString(), contactDue: due(limits.contact).toISOString() };
    return { ...rest, response: { ...response, ...laid }, whistleRatings: [] };
  };
  return { before: under(before, `version ${recorded.rulesVersion}`), after: under(after, 'the draft') };
}

/** The figures of a policy the report shows. */
export type PolicySummary = Pick<
  ScoringPolicy,
  'weights' | 'minSample' | 'bottomN' | 'excludedOutcomes' | 'satisfactionExcludedCategories'
>;

/** A unit's figure under the pinned versions and under the draft. */
export interface FigureChange<T> {
  before: T;
  after: T;
}

/** The figures of one unit that change; a figure that does not change is absent. */
export interface UnitScoreChange {
  unitId: string;
  unitKind: ScoredUnitKind;
  response?: FigureChange<Rate>;
  resolution?: FigureChange<Rate>;
  satisfaction?: FigureChange<Rate>;
  /** 0 … 100, rounded to 0.01; null when no rate has a denominator. */
  score?: FigureChange<number | null>;
  eligible?: FigureChange<boolean>;
  /** 1 = best among the eligible units of the kind; null when not eligible. */
  rank?: FigureChange<number | null>;
}

/** A unit, as the bottom lists name it. */
export interface UnitRef {
  unitId: string;
  unitKind: ScoredUnitKind;
}

/** One month's score differences. */
export interface MonthScoreChanges {
  month: string;
  /** Sampled cases of the month the scores count. */
  cases: number;
  /** Units with at least one changed figure, by kind then rank under the draft. */
  units: UnitScoreChange[];
  /** Units the draft puts in the bottom N of their kind (`entering`) or takes out of it (`leaving`). */
  bottom: { entering: UnitRef[]; leaving: UnitRef[] };
}

/** The score part of a what-if report. */
export interface ScoreComparison {
  policy: {
    /**
     * The pinned versions' policy. Weights, minimum sample and bottom N rank units, not cases, so they come from the
     * version most of the scored cases are pinned to (`rulesVersion`; null with no scored case); each case keeps the
     * exclusions of its own version.
     */
    before: PolicySummary & { rulesVersion: string | null };
    after: PolicySummary;
  };
  /** Sampled cases the scores count, over every month. */
  cases: number;
  /** Every month the scored cases fall in (by first dispatch, Asia/Shanghai), oldest first. */
  months: MonthScoreChanges[];
  /** Units with a changed figure, entering or leaving the bottom N, over every month. */
  unitsChanged: number;
}

/**
 * Scores the cases month by month under the pinned versions' policy and under the draft's (`computeScores`, as of
 * `asOf`, an ISO instant: a sign or contact deadline still running then makes a response pending) and reports, per
 * unit, every figure that changes — the three rates, the score, eligibility, rank — and the units entering or leaving
 * the bottom N. The figures are those of the sampled cases only, not of whole months. Each case counts for the units
 * it was recorded with under both: a changed routing is not carried into the scores.
 * @param pinned the definition of each version label the cases are pinned to.
 * @throws ScoreError `invalid-policy` when a definition's scoring section is out of range (a valid one never is).
 */
export function compareScores(
  cases: readonly ScoredCase[],
  pinned: ReadonlyMap<string, ProcessDefinition>,
  draft: ProcessDefinition,
  asOf: string,
): ScoreComparison {
  const before = pinnedPolicy(cases, pinned);
  const after = scoringPolicyOf(draft);
  const byMonth = new Map<string, ScoredCase[]>();
  for (const scored of cases) {
    const month = caseMonth(scored.before);
    const list = byMonth.get(month) ?? [];
    list.push(scored);
    byMonth.set(month, list);
  }
  const months = [...byMonth.keys()].sort().map((month): MonthScoreChanges => {
    const own = byMonth.get(month)!;
    const score = (policy: ScoringPolicy, side: keyof ScoredCase) =>
      computeScores({ month, asOf, cases: own.map((scored) => scored[side]), baseline: [], policy });
    return { month, cases: own.length, ...monthChanges(score(before.policy, 'before'), score(after, 'after')) };
  });
  const changed = new Set(
    months.flatMap(({ month, units, bottom }) =>
      [...units, ...bottom.entering, ...bottom.leaving].map((unit) => `${month}/${unit.unitId}`),
    ),
  );
  return {
    policy: { before: { ...summary(before.policy), rulesVersion: before.rulesVersion }, after: summary(after) },
    cases: cases.length,
    months,
    unitsChanged: changed.size,
  };
}

/**
 * The policy of the pinned versions: ranking figures of the version most cases are pinned to (on a tie, the label
 * with the higher version number), and every version's own exclusions for its cases.
 */
function pinnedPolicy(
  cases: readonly ScoredCase[],
  pinned: ReadonlyMap<string, ProcessDefinition>,
): { policy: ScoringPolicy; rulesVersion: string | null } {
  const counts = new Map<string, number>();
  for (const { before } of cases) counts.set(before.rulesVersion, (counts.get(before.rulesVersion) ?? 0) + 1);
  const [label] = [...counts.entries()]
    .sort(([a, m], [b, n]) => n - m || b.localeCompare(a, 'en', { numeric: true }))
    .map(([version]) => version);
  const definition = label === undefined ? undefined : pinned.get(label);
  if (label === undefined || !definition) return { policy: { ...DEFAULT_SCORING_POLICY }, rulesVersion: null };
  const byRulesVersion = Object.fromEntries(
    [...counts.keys()].flatMap((version) => {
      const own = pinned.get(version);
      if (!own) return [];
      const { excludedOutcomes, satisfactionExcludedCategories } = scoringPolicyOf(own);
      return [[version, { excludedOutcomes, satisfactionExcludedCategories }]];
    }),
  );
  return { policy: { ...scoringPolicyOf(definition), byRulesVersion }, rulesVersion: label };
}

function summary(policy: ScoringPolicy): PolicySummary {
  const { weights, minSample, bottomN, excludedOutcomes, satisfactionExcludedCategories } = policy;
  return { weights, minSample, bottomN, excludedOutcomes, satisfactionExcludedCategories };
}

const NO_CASES: Rate = { numerator: 0, denominator: 0, value: null };

/** A unit's figures; a unit a report does not know has none (the same cases count for the same units on both sides). */
function figuresOf(unit: UnitScore | undefined): Pick<UnitScore, 'rates' | 'score' | 'eligible' | 'rank'> {
  if (!unit) {
    const rates = { response: NO_CASES, resolution: NO_CASES, satisfaction: NO_CASES };
    return { rates, score: null, eligible: false, rank: null };
  }
  return { rates: unit.rates, score: unit.score, eligible: unit.eligible, rank: unit.rank };
}

/** The unit figures and bottom lists that differ between two reports of the same month. */
function monthChanges(before: ScoreReport, after: ScoreReport): Pick<MonthScoreChanges, 'units' | 'bottom'> {
  const key = (unit: UnitRef) => `${unit.unitKind}/${unit.unitId}`;
  const old = new Map(before.units.map((unit) => [key(unit), unit]));
  const now = new Map(after.units.map((unit) => [key(unit), unit]));
  // In the draft's order (kind, rank, id), then any unit only the pinned versions score.
  const refs = [...after.units, ...before.units.filter((unit) => !now.has(key(unit)))];
  const units = refs.flatMap(({ unitId, unitKind }): UnitScoreChange[] => {
    const a = figuresOf(old.get(key({ unitId, unitKind })));
    const b = figuresOf(now.get(key({ unitId, unitKind })));
    const change: UnitScoreChange = { unitId, unitKind };
    for (const name of ['response', 'resolution', 'satisfaction'] as const) {
      const [x, y] = [a.rates[name], b.rates[name]];
      if (x.numerator !== y.numerator || x.denominator !== y.denominator) change[name] = { before: x, after: y };
    }
    if (a.score !== b.score) change.score = { before: a.score, after: b.score };
    if (a.eligible !== b.eligible) change.eligible = { before: a.eligible, after: b.eligible };
    if (a.rank !== b.rank) change.rank = { before: a.rank, after: b.rank };
    return Object.keys(change).length > 2 ? [change] : [];
  });
  const entering: UnitRef[] = [];
  const leaving: UnitRef[] = [];
  for (const unitKind of SCORED_UNIT_KINDS) {
    const [was, is] = [before.bottom[unitKind], after.bottom[unitKind]];
    entering.push(...is.filter((id) => !was.includes(id)).map((unitId) => ({ unitId, unitKind })));
    leaving.push(...was.filter((id) => !is.includes(id)).map((unitId) => ({ unitId, unitKind })));
  }
  return { units, bottom: { entering, leaving } };
}
