/**
 * Years past the national data package: official schedules an operator loaded, and provisional years that hold the
 * statutory holidays only until their official schedule is out. Pure: no clocks, no I/O, unit-tested by tables.
 *
 * The State Council publishes next year's schedule (holidays and make-up working days) late in the year, and a
 * `chinese-days` release follows later still. Until then a deadline that runs into the next year must still land on
 * a day the law says is off: the provisional year marks the 13 statutory days ({@link statutoryHolidays}) and no
 * make-up days (only the official schedule sets those). Once the official schedule is loaded it replaces the
 * provisional year in a new calendar version.
 */
import { CalendarDay, CalendarError, WorkCalendar } from './calendar.types';
import { compileCalendar } from './compiled-calendar';
import type { LocalDay } from './local-days';
import { isoWeekday, parseLocalDate } from './local-time';
import { StatutoryHolidayKey, statutoryHolidays } from './statutory-holidays';

/** How many years past the last year with an official schedule the calendar holds as provisional. */
export const PROVISIONAL_YEARS_AHEAD = 2;

/** Suffix of a provisional day's name, e.g. `元旦 New Year's Day (provisional)`. */
export const PROVISIONAL_SUFFIX = ' (provisional)';

/** A year's official holiday schedule as an operator loads it: its days off and make-up working days. */
export interface OfficialYear {
  year: number;
  /** Days off (`working: false`) and make-up working days (`working: true`), one entry per date. */
  days: LocalDay[];
}

/** Which national years a calendar holds, besides the package's. */
export interface NationalYears {
  /** Years whose official schedule was loaded, ascending. */
  official: number[];
  /** Years that hold the statutory holidays only, ascending. */
  provisional: number[];
}

/**
 * `base` (the national data package, whole years) extended with `officialYears` and with provisional years up to
 * {@link PROVISIONAL_YEARS_AHEAD} years past the last year that has an official schedule (the package's or a loaded
 * one). An official year replaces the package's entries for that year, if any. Only entries that change the weekday
 * rule are kept (a day off on a weekday, a working day on a weekend), as for the package's data. The id gets
 * `+provisional-<year>` for each provisional year (`cn-mainland+provisional-2027+provisional-2028`), so a deadline
 * records that it was laid on a provisional year; the version is the base's.
 * @throws CalendarError INVALID_CALENDAR for an official year listed twice, or with a date outside its year or listed
 * twice; OUT_OF_RANGE when a provisional year is past the statutory holiday table.
 */
export function withNationalYears(
  base: WorkCalendar,
  officialYears: readonly OfficialYear[],
  provisionalYearsAhead: number = PROVISIONAL_YEARS_AHEAD,
): WorkCalendar {
  const baseFrom = Number(base.coversFrom.slice(0, 4));
  const baseTo = Number(base.coversTo.slice(0, 4));
  const official = new Map<number, OfficialYear>();
  for (const year of officialYears) {
    if (official.has(year.year)) {
      throw new CalendarError(
        'INVALID_CALENDAR',
        `calendar ${JSON.stringify(base.id)}: year ${year.year} listed twice`,
      );
    }
    // Years before the base's range cannot shape a computable deadline (as for local days).
    if (year.year >= baseFrom) official.set(year.year, year);
  }
  const lastOfficial = Math.max(baseTo, ...official.keys());
  const lastYear = lastOfficial + provisionalYearsAhead;
  const provisional: number[] = [];
  for (let year = baseTo + 1; year <= lastYear; year++) if (!official.has(year)) provisional.push(year);

  const replaced = (date: string) => official.has(Number(date.slice(0, 4)));
  const days: CalendarDay[] = base.days.filter((day) => !replaced(day.date));
  for (const year of official.values()) days.push(...officialDays(base.id, year));
  for (const year of provisional) days.push(...provisionalDays(year));
  days.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));

  const calendar: WorkCalendar = {
    ...base,
    id: base.id + provisional.map((year) => `+provisional-${year}`).join(''),
    days,
    coversTo: `${lastYear}-12-31`,
  };
  compileCalendar(calendar);
  return calendar;
}

/**
 * The provisional entries of a year: each statutory holiday that falls on a weekday, as a day off named
 * `<name> (provisional)`; no make-up working days. Two holidays on one date (Mid-Autumn on National Day) give one
 * entry named for the first.
 * @throws CalendarError OUT_OF_RANGE outside the statutory holiday table's years.
 */
export function provisionalDays(year: number): CalendarDay[] {
  const byDate = new Map<string, CalendarDay>();
  for (const holiday of statutoryHolidays(year)) {
    if (byDate.has(holiday.date) || isoWeekday(parseLocalDate(holiday.date)!) >= 6) continue;
    byDate.set(holiday.date, {
      date: holiday.date,
      working: false,
      name: holiday.name + PROVISIONAL_SUFFIX,
      source: 'provisional',
    });
  }
  return [...byDate.values()];
}

/** The years a calendar built by {@link withNationalYears} holds as official or provisional, read from its days. */
export function nationalYearsOf(calendar: WorkCalendar): NationalYears {
  const years = (source: CalendarDay['source']) =>
    [...new Set(calendar.days.filter((day) => day.source === source).map((day) => Number(day.date.slice(0, 4))))].sort(
      (a, b) => a - b,
    );
  // A provisional year always names itself in the id, even one whose statutory days all fall on weekends.
  const provisional = [...calendar.id.matchAll(/\+provisional-(\d{4})/g)].map((match) => Number(match[1]));
  return { official: years('official'), provisional };
}

/** The rule an official schedule breaks (see {@link officialYearProblems}). */
export type OfficialYearRule =
  | 'not-provisional'
  | 'outside-year'
  | 'duplicate-day'
  | 'no-effect'
  | 'statutory-holiday-missing';

/** One problem with an official schedule: the field as a JSON path (`year`, `days`, `days.3.date` …), rule, sentence. */
export interface OfficialYearProblem {
  field: string;
  rule: OfficialYearRule;
  message: string;
}

/**
 * Why `schedule` cannot be loaded into `calendar` (the current version), every problem at once; empty when it can.
 * - the year must be provisional in `calendar` or already official (a correction): a year the package covers, or one
 *   further ahead than the provisional years, is refused;
 * - every date must be a real date of that year, listed once;
 * - a make-up working day must fall on a weekend (a working weekday changes nothing and is most likely a typo);
 * - every statutory holiday of the year must be a day off in the schedule (listed as a day off, or a weekend day not
 *   listed as a working day): the law fixes them, so a schedule that works one is mistyped or for another year.
 * Days off on weekends are accepted (official schedules list whole holiday blocks) and change nothing.
 * Dates are assumed to be 'YYYY-MM-DD' (the HTTP edge checks the format).
 */
export function officialYearProblems(calendar: WorkCalendar, schedule: OfficialYear): OfficialYearProblem[] {
  const { year, days } = schedule;
  const national = nationalYearsOf(calendar);
  if (!national.provisional.includes(year) && !national.official.includes(year)) {
    const open = [...national.provisional, ...national.official].sort((a, b) => a - b);
    return [
      {
        field: 'year',
        rule: 'not-provisional',
        message: `${year} is not a provisional or official year of calendar version ${calendar.version}; loadable years: ${open.join(', ')}`,
      },
    ];
  }
  const problems: OfficialYearProblem[] = [];
  const seen = new Map<string, LocalDay>();
  days.forEach((day, index) => {
    const dayNumber = parseLocalDate(day.date);
    if (dayNumber === undefined || !day.date.startsWith(`${year}-`)) {
      problems.push({
        field: `days.${index}.date`,
        rule: 'outside-year',
        message: `${day.date} is not a date of ${year}`,
      });
      return;
    }
    if (seen.has(day.date)) {
      problems.push({ field: `days.${index}.date`, rule: 'duplicate-day', message: `${day.date} is listed twice` });
      return;
    }
    seen.set(day.date, day);
    if (day.working && isoWeekday(dayNumber) < 6) {
      problems.push({
        field: `days.${index}.working`,
        rule: 'no-effect',
        message: `${day.date} is a weekday: a make-up working day (调休上班) falls on a Saturday or Sunday`,
      });
    }
  });
  const missing = new Map<string, StatutoryHolidayKey>();
  for (const holiday of statutoryHolidays(year)) {
    const listed = seen.get(holiday.date);
    const off = listed ? !listed.working : isoWeekday(parseLocalDate(holiday.date)!) >= 6;
    if (!off && !missing.has(holiday.date)) missing.set(holiday.date, holiday.holiday);
  }
  for (const [date, holiday] of missing) {
    problems.push({
      field: 'days',
      rule: 'statutory-holiday-missing',
      message: `${date} (${holiday}) is a statutory holiday of ${year} and must be a day off in its schedule`,
    });
  }
  return problems;
}

/** Whether two schedules of a year list the same days (in any order). */
export function sameSchedule(a: readonly LocalDay[], b: readonly LocalDay[]): boolean {
  const key = (days: readonly LocalDay[]) =>
    JSON.stringify(days.map(({ date, working, name }) => [date, working, name]).sort((x, y) => (x[0] < y[0] ? -1 : 1)));
  return key(a) === key(b);
}

function officialDays(calendarId: string, schedule: OfficialYear): CalendarDay[] {
  const seen = new Set<string>();
  const days: CalendarDay[] = [];
  for (const day of schedule.days) {
    const dayNumber = parseLocalDate(day.date);
    if (dayNumber === undefined || !day.date.startsWith(`${schedule.year}-`) || seen.has(day.date)) {
      throw new CalendarError(
        'INVALID_CALENDAR',
        `calendar ${JSON.stringify(calendarId)}: official year ${schedule.year} lists ${JSON.stringify(day.date)} ` +
          'outside the year or twice',
      );
    }
    seen.add(day.date);
    const weekend = isoWeekday(dayNumber) >= 6;
    if (day.working === weekend) {
      days.push({ date: day.date, working: day.working, name: day.name, source: 'official' });
    }
  }
  return days;
}
