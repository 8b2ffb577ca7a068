/**
 * Local-date helpers on "day numbers" (whole days since 1970-01-01). Only UTC methods of Date are used, so the
 * results never depend on the process time zone.
 */

export const MS_PER_MINUTE = 60_000;
export const MS_PER_DAY = 86_400_000;

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const CLOCK = /^(\d{2}):(\d{2})$/;

/** Day number of a 'YYYY-MM-DD' date, or undefined when the text is not a real calendar date. */
export function parseLocalDate(text: string): number | undefined {
  const match = typeof text === 'string' ? LOCAL_DATE.exec(text) : null;
  if (!match) return undefined;
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  // Date.UTC rolls 2025-02-30 over to March and maps years below 100 to 19xx: the round trip rejects both.
  return Number.isFinite(ms) && formatDayNumber(ms / MS_PER_DAY) === text ? ms / MS_PER_DAY : undefined;
}

/** 'YYYY-MM-DD' of a day number. */
export function formatDayNumber(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** ISO weekday (1 = Monday … 7 = Sunday) of a day number; day 0 (1970-01-01) was a Thursday. */
export function isoWeekday(day: number): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

/** Minutes after midnight of an 'HH:MM' wall-clock time (00:00–24:00), or undefined when malformed. */
export function parseClock(text: string): number | undefined {
  const match = typeof text === 'string' ? CLOCK.exec(text) : null;
  if (!match) return undefined;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (minutes > 59 || hours > 24 || (hours === 24 && minutes > 0)) return undefined;
  return hours * 60 + minutes;
}
