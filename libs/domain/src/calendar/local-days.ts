/**
 * Local days over a national calendar: a day off (e.g. a municipal holiday) or a day on that an operator decides,
 * stored as versioned data and laid over the national schedule. Pure: safe for workflows, unit-tested by tables.
 */
import { CalendarDay, CalendarError, WorkCalendar } from './calendar.types';
import { compileCalendar, isWorkingDayNumber } from './compiled-calendar';
import { parseLocalDate } from './local-time';

/** A local day as an operator enters it. */
export interface LocalDay {
  /** Local date, 'YYYY-MM-DD'. */
  date: string;
  working: boolean;
  /** Why, e.g. '市运会闭幕放假'. */
  name: string;
}

/** The rule a proposed local day breaks (see {@link localDayProblem}). */
export type LocalDayRule = 'date-format' | 'out-of-range' | 'duplicate-day' | 'no-effect';

/** One problem with a proposed local day: the field it concerns, the rule, and a sentence for a person. */
export interface LocalDayProblem {
  field: 'date' | 'working';
  rule: LocalDayRule;
  message: string;
}

/**
 * `base` (national data) with `localDays` laid over it as `version`: a local day replaces the national entry of its
 * date, if any. Local days outside the base's covered range are left out: no deadline computable on this calendar
 * can cross them (this happens when a newer national data package moves the range past an old local day).
 * @throws CalendarError INVALID_CALENDAR for a malformed date, a date listed twice, or a bad version.
 */
export function withLocalDays(base: WorkCalendar, version: number, localDays: readonly LocalDay[]): WorkCalendar {
  const local = new Map<string, CalendarDay>();
  for (const day of localDays) {
    if (parseLocalDate(day.date) === undefined || local.has(day.date)) {
      throw new CalendarError(
        'INVALID_CALENDAR',
        `calendar ${JSON.stringify(base.id)} version ${version}: local day ${JSON.stringify(day.date)} is malformed ` +
          'or listed twice',
      );
    }
    if (day.date < base.coversFrom || day.date > base.coversTo) continue;
    local.set(day.date, { date: day.date, working: day.working, name: day.name, source: 'local' });
  }
  const days = [...base.days.filter((day) => !local.has(day.date)), ...local.values()].sort((a, b) =>
    a.date < b.date ? -1 : a.date > b.date ? 1 : 0,
  );
  const calendar: WorkCalendar = { ...base, version, days };
  compileCalendar(calendar);
  return calendar;
}

/**
 * Why `day` cannot be added as a local day to `calendar`, or undefined when it can: the date must be a real
 * 'YYYY-MM-DD' date inside the covered range, must not already be a local day, and must change something (a day off
 * on a day that is already off, e.g. a weekend or a national holiday, is refused).
 */
export function localDayProblem(calendar: WorkCalendar, day: LocalDay): LocalDayProblem | undefined {
  const dayNumber = parseLocalDate(day.date);
  if (dayNumber === undefined) {
    return { field: 'date', rule: 'date-format', message: `date must be a real date 'YYYY-MM-DD', got '${day.date}'` };
  }
  if (day.date < calendar.coversFrom || day.date > calendar.coversTo) {
    return {
      field: 'date',
      rule: 'out-of-range',
      message: `date ${day.date} is outside the calendar's covered range ${calendar.coversFrom} to ${calendar.coversTo}`,
    };
  }
  const existing = calendar.days.find((entry) => entry.date === day.date && entry.source === 'local');
  if (existing) {
    return {
      field: 'date',
      rule: 'duplicate-day',
      message: `${day.date} is already a local day (${existing.name}); remove it first to change it`,
    };
  }
  if (isWorkingDayNumber(compileCalendar(calendar), dayNumber) === day.working) {
    return {
      field: 'working',
      rule: 'no-effect',
      message: `${day.date} is already a ${day.working ? 'working day' : 'day off'} in calendar version ${calendar.version}`,
    };
  }
  return undefined;
}
