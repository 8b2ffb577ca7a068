/* The year view of the working-day calendar: weeks of a month, and what kind of day a date is. Pure. */

/** How a day is marked. */
export type DayKind = 'working' | 'weekend' | 'holiday' | 'makeup' | 'localOff' | 'localOn';

/** A day the calendar version overrides (`GET …/years/:year/days`). */
export interface DayOverride {
  date: string;
  working: boolean;
  name: string;
  source: string;
}

/** ISO weekday (1 Monday … 7 Sunday) of a local date 'YYYY-MM-DD'. */
export function isoWeekday(date: string): number {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day === 0 ? 7 : day;
}

/** The weeks (Monday first) of `month` (0-based) of `year`, each seven dates or null outside the month. */
export function daysOfMonth(year: number, month: number): (string | null)[][] {
  const count = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const pad = (n: number) => String(n).padStart(2, '0');
  const dates = Array.from({ length: count }, (_, i) => `${year}-${pad(month + 1)}-${pad(i + 1)}`);
  const cells: (string | null)[] = [...Array<null>(isoWeekday(dates[0]) - 1).fill(null), ...dates];
  while (cells.length % 7) cells.push(null);
  return Array.from({ length: cells.length / 7 }, (_, week) => cells.slice(week * 7, week * 7 + 7));
}

/**
 * A date's kind: a local decision first, then a holiday on a weekday (off) or a make-up day on the weekend (working),
 * else the weekday / weekend rule. An override that agrees with the rule (a holiday on a Sunday) still marks it.
 */
export function dayKind(date: string, weekend: readonly number[], override?: DayOverride): DayKind {
  if (override?.source === 'local') return override.working ? 'localOn' : 'localOff';
  if (override) return override.working ? 'makeup' : 'holiday';
  return weekend.includes(isoWeekday(date)) ? 'weekend' : 'working';
}
