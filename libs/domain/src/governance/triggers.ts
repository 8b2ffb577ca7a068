/*
 * When scores and hotspots lead to work: which units of a month get a rectification item, which hotspots get a
 * proactive item. Pure functions of a score run's stored figures and the published definition's `scoring` rules.
 */

/** A unit's standing in a score run, as `unit_scores` stores it. */
export interface RankedUnit {
  unitId: string;
  unitKind: string;
  score: number | null;
  eligible: boolean;
}

/** One bottom unit of a month and why it is there. */
export interface RectificationTarget {
  unitId: string;
  unitKind: string;
  score: number;
  /** Eligible units of its kind that scored lower. */
  lowerScores: number;
  eligibleUnits: number;
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The bottom units of a month that get a rectification item (限期整改): per kind of unit, the eligible units (with a
 * score) fewer than `bottomN` of whose kind scored lower — the same cut as the published bottom list, so ties at the
 * cut are all in. Worst first within a kind; kinds in code-point order.
 */
export function rectificationTargets(units: readonly RankedUnit[], bottomN: number): RectificationTarget[] {
  if (!Number.isInteger(bottomN) || bottomN < 1) throw new RangeError(`bottomN must be a positive integer: ${bottomN}`);
  const kinds = [...new Set(units.map((unit) => unit.unitKind))].sort(byText);
  return kinds.flatMap((kind) => {
    const eligible = units.filter((unit) => unit.unitKind === kind && unit.eligible && unit.score !== null);
    const scores = eligible.map((unit) => unit.score as number);
    return eligible
      .map((unit) => ({
        unitId: unit.unitId,
        unitKind: kind,
        score: unit.score as number,
        lowerScores: scores.filter((score) => score < (unit.score as number)).length,
        eligibleUnits: eligible.length,
      }))
      .filter((target) => target.lowerScores < bottomN)
      .sort((a, b) => a.score - b.score || byText(a.unitId, b.unitId));
  });
}

/** A month's cases of one category in one place, as a score run's hotspots store them. */
export interface HotspotCount {
  month: string;
  category: string;
  districtId: string | null;
  streetId: string | null;
  cases: number;
}

/** The 未诉先办 rule of a definition (`scoring.proactive`). */
export interface ProactiveRule {
  /** Cases more than the month before (same category and place) at which the place must act. */
  growthThreshold: number;
  /** Cases in the month the hotspot needs at least, whatever its growth. */
  minimumCount: number;
}

/** A hotspot that rose past the threshold, and the unit that gets the proactive item. */
export interface ProactiveTrigger {
  month: string;
  category: string;
  districtId: string | null;
  streetId: string | null;
  /** The street/township, or the district where the place has no street. */
  ownerUnitId: string;
  cases: number;
  previousCases: number;
  growth: number;
}

/**
 * Hotspots of `month` that rose past the rule: at least `minimumCount` cases in the month and at least
 * `growthThreshold` more than the same category in the same place the month before (`hotspots` holds both months,
 * as a run stores them). A hotspot with no place is skipped: nobody could act on it. Most growth first.
 */
export function proactiveTriggers(
  month: string,
  hotspots: readonly HotspotCount[],
  rule: ProactiveRule,
): ProactiveTrigger[] {
  const key = (h: HotspotCount) => JSON.stringify([h.category, h.districtId, h.streetId]);
  const previous = new Map(hotspots.filter((h) => h.month !== month).map((h) => [key(h), h.cases]));
  return hotspots
    .filter((h) => h.month === month && (h.streetId ?? h.districtId) !== null)
    .map((h) => {
      const previousCases = previous.get(key(h)) ?? 0;
      return {
        month,
        category: h.category,
        districtId: h.districtId,
        streetId: h.streetId,
        ownerUnitId: (h.streetId ?? h.districtId) as string,
        cases: h.cases,
        previousCases,
        growth: h.cases - previousCases,
      };
    })
    .filter((t) => t.cases >= rule.minimumCount && t.growth >= rule.growthThreshold)
    .sort((a, b) => b.growth - a.growth || byText(a.category, b.category) || byText(a.ownerUnitId, b.ownerUnitId));
}

/** Case counts of one category in one place before an item was opened and since. */
export interface EffectRow {
  category: string;
  place: string;
  before: number;
  since: number;
}

/** The measured effect of an item: per category × place, and the totals with the windows they cover. */
export interface GovernanceEffect {
  /** ISO instant the item was adopted or opened: the line between before and since. */
  adoptedAt: string;
  /** Months before adoption counted. */
  months: number;
  beforeFrom: string;
  /** ISO instant the figures are as of (the close, for a closed item's recorded figures). */
  asOf: string;
  rows: EffectRow[];
  before: number;
  since: number;
}

/** Totals an effect's rows, every category × place of the scope present (zero where no case came). */
export function effectOf(
  scope: { categories: readonly string[]; places: readonly string[] },
  counts: ReadonlyArray<{ category: string; place: string; before: number; since: number }>,
  window: { adoptedAt: string; months: number; beforeFrom: string; asOf: string },
): GovernanceEffect {
  const rows: EffectRow[] = [];
  for (const category of [...scope.categories].sort(byText)) {
    for (const place of [...scope.places].sort(byText)) {
      const found = counts.find((count) => count.category === category && count.place === place);
      rows.push({ category, place, before: found?.before ?? 0, since: found?.since ?? 0 });
    }
  }
  return {
    ...window,
    rows,
    before: rows.reduce((sum, row) => sum + row.before, 0),
    since: rows.reduce((sum, row) => sum + row.since, 0),
  };
}
