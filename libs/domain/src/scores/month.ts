import type { ScoreMonth } from './score.types';

/**
 * Score months are calendar months in Asia/Shanghai. China has kept UTC+8 all year since 1991 (no daylight saving),
 * so a fixed offset is exact for every month we score.
 */
const SHANGHAI_OFFSET_MS = 8 * 3600_000;

const MONTH_PATTERN = /^([1-9]\d{3})-(0[1-9]|1[0-2])$/;

/** True for `YYYY-MM` with a month 01–12 and a year 1000–9999. */
export function isScoreMonth(value: unknown): value is ScoreMonth {
  return typeof value === 'string' && MONTH_PATTERN.test(value);
}

function parts(month: ScoreMonth): [year: number, month: number] {
  const match = MONTH_PATTERN.exec(month);
  if (!match) throw new RangeError(`month must be 'YYYY-MM', got ${JSON.stringify(month)}`);
  return [Number(match[1]), Number(match[2])];
}

const format = (year: number, month: number): ScoreMonth => `${year}-${String(month).padStart(2, '0')}`;

/** The Asia/Shanghai month an instant falls in: `2026-10-31T16:00:00Z` (midnight 1 Nov in Shanghai) → `2026-11`. */
export function monthOf(instant: string | Date): ScoreMonth {
  const ms = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
  if (!Number.isFinite(ms)) throw new RangeError(`not an instant: ${String(instant)}`);
  return new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, 7);
}

/** The month before: `2026-01` → `2025-12`. */
export function previousMonthOf(month: ScoreMonth): ScoreMonth {
  const [year, m] = parts(month);
  return m === 1 ? format(year - 1, 12) : format(year, m - 1);
}

/** The month after: `2025-12` → `2026-01`. */
export function nextMonthOf(month: ScoreMonth): ScoreMonth {
  const [year, m] = parts(month);
  return m === 12 ? format(year + 1, 1) : format(year, m + 1);
}

/** The month before the one `now` falls in (what the monthly schedule scores on the 1st). */
export function previousMonth(now: Date): ScoreMonth {
  return previousMonthOf(monthOf(now));
}

/**
 * The instants a month covers, as ISO strings: `[from, to)`, from Shanghai midnight of the 1st to Shanghai midnight
 * of the next month's 1st. `2026-10` → `2026-09-30T16:00:00.000Z` … `2026-10-31T16:00:00.000Z`.
 */
export function monthWindow(month: ScoreMonth): { from: string; to: string } {
  const start = (m: ScoreMonth) => {
    const [year, mm] = parts(m);
    return new Date(Date.UTC(year, mm - 1, 1) - SHANGHAI_OFFSET_MS).toISOString();
  };
  return { from: start(month), to: start(nextMonthOf(month)) };
}
