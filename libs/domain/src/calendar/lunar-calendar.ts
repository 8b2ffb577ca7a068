/**
 * The Chinese lunisolar calendar (农历) for the Gregorian years 2004–2050, table-driven: each lunar year's first day
 * (正月初一) and the lengths of its months. Pure (no Intl, no time zone, no Node built-ins): dates are 'YYYY-MM-DD'
 * local dates in China. Enough to place the lunar statutory holidays (Spring Festival, Dragon Boat, Mid-Autumn).
 *
 * The table is the published one (Purple Mountain Observatory / Hong Kong Observatory data, in the encoding that
 * `chinese-days` and most lunar libraries carry); we do not call `chinese-days`' lunar functions because they build
 * dates in the process's time zone. A spec checks every row against the next row's new year and the festival dates
 * of the official holiday schedules 2004–2026.
 */
import { CalendarError } from './calendar.types';
import { formatDayNumber, parseLocalDate } from './local-time';

/** A lunar date: year (the Gregorian year its 正月 starts in), month 1–12, day 1–30, and whether the month is 闰. */
export interface LunarDate {
  year: number;
  month: number;
  day: number;
  leap?: boolean;
}

/**
 * One row per lunar year: the year, the Gregorian month-day of its 正月初一, and its months in order, 'L' (大月,
 * 30 days) or 'S' (小月, 29 days); a leap month follows the month it repeats, in parentheses: 'LL(S)…' is a 29-day
 * 闰二月 after a 30-day 二月.
 */
const LUNAR_YEARS: readonly (readonly [number, string, string])[] = [
  [2004, '01-22', 'SL(S)LLSLSLSLSL'],
  [2005, '02-09', 'SLSLSLLSLSLS'],
  [2006, '01-29', 'LSLSLSL(S)LLSLL'],
  [2007, '02-18', 'SSLSSLSLLLSL'],
  [2008, '02-07', 'LSSLSSLSLLSL'],
  [2009, '01-26', 'LLSSL(S)SLSLSLL'],
  [2010, '02-14', 'LSLSLSSLSLSL'],
  [2011, '02-03', 'LSLLSLSSLSLS'],
  [2012, '01-23', 'LSLL(S)LSLSLSLS'],
  [2013, '02-10', 'LSLSLLSLSLSL'],
  [2014, '01-31', 'SLSLSLSLL(S)LSL'],
  [2015, '02-19', 'SLSSLSLLLSLS'],
  [2016, '02-08', 'LSLSSLSLLSLL'],
  [2017, '01-28', 'SLSLSS(L)SLSLLL'],
  [2018, '02-16', 'SLSLSSLSLSLL'],
  [2019, '02-05', 'LSLSLSSLSSLL'],
  [2020, '01-25', 'SLLL(S)LSSLSLSL'],
  [2021, '02-12', 'SLLSLSLSLSLS'],
  [2022, '02-01', 'LSLSLLSLSLSL'],
  [2023, '01-22', 'SL(S)SLLSLLSLSL'],
  [2024, '02-10', 'SLSSLSLLSLLS'],
  [2025, '01-29', 'LSLSSL(S)LSLLLS'],
  [2026, '02-17', 'LSLSSLSSLLLS'],
  [2027, '02-06', 'LLSLSSLSSLLS'],
  [2028, '01-26', 'LLLSL(S)SLSSLLS'],
  [2029, '02-13', 'LLSLSLSLSSLL'],
  [2030, '02-03', 'SLSLLSLSLSLS'],
  [2031, '01-23', 'SLL(S)LSLLSLSLS'],
  [2032, '02-11', 'LSSLSLLSLLSL'],
  [2033, '01-31', 'SLSSLSLSLLL(S)L'],
  [2034, '02-19', 'SLSSLSLSLLSL'],
  [2035, '02-08', 'LSLSSLSSLLSL'],
  [2036, '01-28', 'LLSLSS(L)SSLSLL'],
  [2037, '02-15', 'LLSLSSLSSLSL'],
  [2038, '02-04', 'LLSLSLSLSSLS'],
  [2039, '01-24', 'LLSLL(S)LSLSLSS'],
  [2040, '02-12', 'LSLLSLSLLSLS'],
  [2041, '02-01', 'SLSLSLLSLLSL'],
  [2042, '01-22', 'SL(S)SLSLSLLSLL'],
  [2043, '02-10', 'SLSSLSSLLSLL'],
  [2044, '01-30', 'LSLSSLS(S)LSLLL'],
  [2045, '02-17', 'LSLSSLSSLSLL'],
  [2046, '02-06', 'LSLSLSLSSLSL'],
  [2047, '01-26', 'LSLLS(L)SLSSLSL'],
  [2048, '02-14', 'SLLSLLSLSSLS'],
  [2049, '02-02', 'LSLSLLSLLSLS'],
  [2050, '01-23', 'SLS(L)SLSLLSLLS'],
];

/** The lunar years the table covers, inclusive. */
export const LUNAR_YEAR_RANGE = Object.freeze({ from: LUNAR_YEARS[0][0], to: LUNAR_YEARS[LUNAR_YEARS.length - 1][0] });

/** One month of a lunar year: its number, whether it is the leap month, and its length in days. */
export interface LunarMonth {
  month: number;
  leap: boolean;
  days: 29 | 30;
}

/**
 * The Gregorian date ('YYYY-MM-DD') of 正月初一 of a lunar year.
 * @throws CalendarError OUT_OF_RANGE outside {@link LUNAR_YEAR_RANGE}.
 */
export function lunarNewYear(year: number): string {
  return `${year}-${row(year)[1]}`;
}

/** The months of a lunar year in order (12, or 13 with the leap month). @throws CalendarError OUT_OF_RANGE. */
export function lunarMonths(year: number): LunarMonth[] {
  const months: LunarMonth[] = [];
  let month = 0;
  let leap = false;
  for (const char of row(year)[2]) {
    if (char === '(') leap = true;
    else if (char === ')') leap = false;
    else {
      if (!leap) month++;
      months.push({ month, leap, days: char === 'L' ? 30 : 29 });
    }
  }
  return months;
}

/**
 * The Gregorian date ('YYYY-MM-DD') of a lunar date, e.g. `{ year: 2027, month: 8, day: 15 }` → '2027-09-15'.
 * @throws CalendarError OUT_OF_RANGE outside {@link LUNAR_YEAR_RANGE}; INVALID_ARGUMENT for a month the year does not
 * have (a leap month that is not this year's) or a day past the month's length.
 */
export function lunarToSolar(date: LunarDate): string {
  const leap = date.leap === true;
  let offset = 0;
  for (const month of lunarMonths(date.year)) {
    if (month.month === date.month && month.leap === leap) {
      if (!Number.isInteger(date.day) || date.day < 1 || date.day > month.days) {
        throw new CalendarError(
          'INVALID_ARGUMENT',
          `lunar ${describe(date)}: day must be 1–${month.days} in that month, got ${date.day}`,
        );
      }
      return formatDayNumber(parseLocalDate(lunarNewYear(date.year))! + offset + date.day - 1);
    }
    offset += month.days;
  }
  throw new CalendarError('INVALID_ARGUMENT', `lunar year ${date.year} has no month ${describe(date)}`);
}

function row(year: number): readonly [number, string, string] {
  const found = Number.isInteger(year) ? LUNAR_YEARS[year - LUNAR_YEAR_RANGE.from] : undefined;
  if (!found) {
    throw new CalendarError(
      'OUT_OF_RANGE',
      `the lunar calendar table covers ${LUNAR_YEAR_RANGE.from}–${LUNAR_YEAR_RANGE.to} only, got ${year}`,
    );
  }
  return found;
}

function describe(date: LunarDate): string {
  return `${date.year} ${date.leap ? '闰' : ''}${date.month}/${date.day}`;
}
