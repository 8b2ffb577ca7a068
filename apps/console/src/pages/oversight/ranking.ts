import type { MonthScores, ScoredKind, UnitScore } from './views';

/**
 * One row of a ranking table: per scope (the city's, then each district ranked under its own definition), ranked units
 * by rank, then the units without enough rated cases, by id.
 */
export interface RankingRow extends UnitScore {
  key: string;
  /** The unit's name from the org tree, else its id. */
  label: string;
}

/** The month's units of one kind as the ranking shows them (bottom N flagged by the API's own list). */
export function rankingRows(scores: MonthScores, kind: ScoredKind): RankingRow[] {
  const bottom = new Set(scores.bottom[kind] ?? []);
  return scores.units
    .filter((unit) => unit.unitKind === kind)
    .map((unit) => ({
      ...unit,
      bottom: unit.bottom || bottom.has(unit.unitId),
      key: unit.unitId,
      label: unit.unitName ?? unit.unitId,
    }))
    .sort((a, b) => {
      // Ranks never cross scopes: the city's first, then each district with a definition of its own.
      const scope = (unit: UnitScore) => (!unit.scope || unit.scope === 'city' ? '' : unit.scope);
      if (scope(a) !== scope(b)) return scope(a).localeCompare(scope(b));
      if (a.rank !== null && b.rank !== null) return a.rank - b.rank || a.unitId.localeCompare(b.unitId);
      if (a.rank !== null) return -1;
      if (b.rank !== null) return 1;
      return a.unitId.localeCompare(b.unitId);
    });
}

/** A rate as a percentage with one decimal ('—' without a denominator). */
export function percent(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : `${(value * 100).toFixed(1)}%`;
}

/** 'YYYY-MM' of an instant in Asia/Shanghai. */
export function shanghaiMonth(at: Date = new Date()): string {
  const shifted = new Date(at.getTime() + 8 * 3600_000);
  return `${shifted.getUTCFullYear()}-${String(shifted.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** The `count` months ending with `month`, oldest first. */
export function monthsEndingAt(month: string, count: number): string[] {
  const [year, mon] = month.split('-').map(Number);
  return Array.from({ length: count }, (_, i) => {
    const index = year * 12 + (mon - 1) - (count - 1 - i);
    return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
  });
}

/** One line of the trend chart: a unit's composite score (or one rate, as a percentage) per month; null: no figure. */
export interface TrendSeries {
  unitId: string;
  label: string;
  points: (number | null)[];
}

/**
 * The trend of the given units over `months` (each month's published scores, or null for a month without a run).
 * `measure` is `score` (0–100) or a rate (0–100 %).
 */
export function trendSeries(
  months: readonly (MonthScores | null)[],
  unitIds: readonly string[],
  measure: 'score' | 'response' | 'resolution' | 'satisfaction' = 'score',
): TrendSeries[] {
  return unitIds.map((unitId) => {
    let label = unitId;
    const points = months.map((scores) => {
      const unit = scores?.units.find((candidate) => candidate.unitId === unitId);
      if (!unit) return null;
      label = unit.unitName ?? unitId;
      if (measure === 'score') return unit.score;
      const value = unit.rates[measure].value;
      return value === null ? null : Math.round(value * 1000) / 10;
    });
    return { unitId, label, points };
  });
}

/** SVG polyline segments of a series on a chart of `width` × `height` for values 0–100 (a gap at each null). */
export function seriesSegments(points: readonly (number | null)[], width: number, height: number): string[] {
  const step = points.length > 1 ? width / (points.length - 1) : 0;
  const segments: string[] = [];
  let current: string[] = [];
  points.forEach((value, i) => {
    if (value === null) {
      if (current.length) segments.push(current.join(' '));
      current = [];
      return;
    }
    const x = points.length > 1 ? i * step : width / 2;
    const y = height - (Math.max(0, Math.min(100, value)) / 100) * height;
    current.push(`${x.toFixed(1)},${y.toFixed(1)}`);
  });
  if (current.length) segments.push(current.join(' '));
  return segments;
}
