/**
 * Builds a WorkCalendar from the `chinese-days` package (the State Council's yearly holiday and 调休 schedule).
 * Not exported from the calendar index: workflows import only the pure arithmetic; the API and worker build
 * calendars here and hand them over as data.
 *
 * The data is read from the package's published JSON (`dist/chinese-days.json`), not through its functions: those
 * build their date keys with the process's local time zone and shift every holiday by a day on servers west of
 * UTC. The JSON has plain 'YYYY-MM-DD' keys and is the same data (a spec checks that both agree).
 */
import chineseDaysData from 'chinese-days/dist/chinese-days.json';
import {
  CalendarDay,
  CalendarError,
  DEFAULT_OFFICE_HOURS,
  DEFAULT_WEEKEND,
  OfficeHoursSpan,
  SHANGHAI_UTC_OFFSET_MINUTES,
  WorkCalendar,
} from './calendar.types';
import { compileCalendar } from './compiled-calendar';
import { formatDayNumber, isoWeekday, parseLocalDate } from './local-time';

/** A day off or on decided locally by an operator (e.g. a municipal day off); it overrides the national data. */
export interface LocalDayInput {
  date: string;
  working: boolean;
  name: string;
}

/** Input of {@link buildChineseCalendar}. Years are calendar years, inclusive. */
export interface BuildChineseCalendarInput {
  id: string;
  version: number;
  fromYear: number;
  toYear: number;
  localDays?: LocalDayInput[];
  /** Defaults to 09:00–12:00 and 13:30–18:00. */
  officeHours?: OfficeHoursSpan[];
}

interface ChineseDaysData {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}

const data: ChineseDaysData = chineseDaysData;

/**
 * The calendar years the installed `chinese-days` data covers (2004–2026 in version 1.5.7). A year counts as
 * covered when its New Year's Day is listed, which every published schedule does; the result must be contiguous.
 */
export function chineseDaysCoverage(): { fromYear: number; toYear: number } {
  const years = Object.keys(data.holidays)
    .filter((date) => date.endsWith('-01-01'))
    .map((date) => Number(date.slice(0, 4)))
    .sort((a, b) => a - b);
  const fromYear = years[0];
  const toYear = years[years.length - 1];
  if (years.length === 0 || toYear - fromYear + 1 !== years.length) {
    throw new Error(`chinese-days data has gaps: New Year's Day listed for ${years.join(', ')}`);
  }
  return { fromYear, toYear };
}

/**
 * Builds a calendar for whole years `fromYear`..`toYear` at UTC+8 with a Saturday/Sunday weekend. `days` holds
 * only entries that change the weekday rule: national holidays on weekdays (working: false) and make-up working
 * days on weekends (working: true), named like '国庆节 National Day' / '国庆节调休上班 National Day make-up
 * working day'; then `localDays`, which replace a national entry for the same date. Sorted by date.
 * @throws CalendarError OUT_OF_RANGE naming the years when `chinese-days` does not cover them; INVALID_CALENDAR
 * for bad input (e.g. a local day outside the years or listed twice).
 */
export function buildChineseCalendar(input: BuildChineseCalendarInput): WorkCalendar {
  const { id, version, fromYear, toYear } = input;
  const coverage = chineseDaysCoverage();
  if (!Number.isInteger(fromYear) || !Number.isInteger(toYear) || fromYear > toYear) {
    throw new CalendarError('INVALID_CALENDAR', `calendar ${JSON.stringify(id)}: bad years ${fromYear}..${toYear}`);
  }
  if (fromYear < coverage.fromYear || toYear > coverage.toYear) {
    throw new CalendarError(
      'OUT_OF_RANGE',
      `calendar ${JSON.stringify(id)}: chinese-days covers ${coverage.fromYear}–${coverage.toYear} only, ` +
        `cannot build ${fromYear}–${toYear} (update the chinese-days package or add the days as local days)`,
    );
  }
  const coversFrom = `${fromYear}-01-01`;
  const coversTo = `${toYear}-12-31`;
  const byDate = new Map<string, CalendarDay>();
  for (let day = parseLocalDate(coversFrom)!; day <= parseLocalDate(coversTo)!; day++) {
    const entry = nationalEntry(formatDayNumber(day), isoWeekday(day) >= 6);
    if (entry) byDate.set(entry.date, entry);
  }
  const seenLocal = new Set<string>();
  for (const local of input.localDays ?? []) {
    if (seenLocal.has(local.date) || !(local.date >= coversFrom && local.date <= coversTo)) {
      throw new CalendarError(
        'INVALID_CALENDAR',
        `calendar ${JSON.stringify(id)}: local day ${local.date} is listed twice or outside ${coversFrom}..${coversTo}`,
      );
    }
    seenLocal.add(local.date);
    byDate.set(local.date, { date: local.date, working: local.working, name: local.name, source: 'local' });
  }
  const calendar: WorkCalendar = {
    id,
    version,
    utcOffsetMinutes: SHANGHAI_UTC_OFFSET_MINUTES,
    officeHours: (input.officeHours ?? DEFAULT_OFFICE_HOURS).map((span) => ({ ...span })),
    weekend: [...DEFAULT_WEEKEND],
    days: [...byDate.values()].sort((a, b) => (a.date < b.date ? -1 : 1)),
    coversFrom,
    coversTo,
  };
  compileCalendar(calendar); // fail now, not in the first workflow that uses it
  return calendar;
}

function nationalEntry(date: string, weekend: boolean): CalendarDay | undefined {
  // chinese-days descriptions read "National Day,国庆节,3" (English, Chinese, statutory days).
  const makeUp = data.workdays[date];
  if (makeUp !== undefined) {
    const [english, chinese] = makeUp.split(',');
    return weekend ? national(date, true, `${chinese}调休上班 ${english} make-up working day`) : undefined;
  }
  const holiday = data.holidays[date];
  if (holiday !== undefined && !weekend) {
    const [english, chinese] = holiday.split(',');
    return national(date, false, `${chinese} ${english}`);
  }
  return undefined;
}

function national(date: string, working: boolean, name: string): CalendarDay {
  return { date, working, name, source: 'chinese-days' };
}
