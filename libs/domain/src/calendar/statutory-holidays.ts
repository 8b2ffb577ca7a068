/**
 * The public holidays the law fixes for every year (《全国年节及纪念日放假办法》 as amended in 2024, in force from
 * 1 January 2025): 13 days, before the State Council moves any of them with make-up working days (调休). Pure: safe
 * for workflows, no Intl, no time zone.
 */
import { CalendarError } from './calendar.types';
import { LUNAR_YEAR_RANGE, lunarNewYear, lunarToSolar } from './lunar-calendar';
import { formatDayNumber, parseLocalDate } from './local-time';

/** The seven statutory holidays (年节) of the law. */
export type StatutoryHolidayKey =
  | 'new-year'
  | 'spring-festival'
  | 'qingming'
  | 'labour-day'
  | 'dragon-boat'
  | 'mid-autumn'
  | 'national-day';

/** One statutory day off: its date, which holiday, and its name ('中文 English', as the national data names them). */
export interface StatutoryHoliday {
  /** Local date, 'YYYY-MM-DD'. */
  date: string;
  holiday: StatutoryHolidayKey;
  name: string;
}

/** Names of the holidays, as `chinese-days` names them in the published schedules ('中文 English'). */
export const STATUTORY_HOLIDAY_NAMES: Readonly<Record<StatutoryHolidayKey, string>> = Object.freeze({
  'new-year': "元旦 New Year's Day",
  'spring-festival': '春节 Spring Festival',
  qingming: '清明 Tomb-sweeping Day',
  'labour-day': '劳动节 Labour Day',
  'dragon-boat': '端午 Dragon Boat Festival',
  'mid-autumn': '中秋 Mid-autumn Festival',
  'national-day': '国庆节 National Day',
});

/** First year the 2024 amendment (13 statutory days, 除夕 included) applies to. */
export const STATUTORY_RULES_FROM_YEAR = 2025;

/** The Gregorian years {@link statutoryHolidays} answers: from the amendment to the end of the lunar table. */
export const STATUTORY_YEAR_RANGE = Object.freeze({ from: STATUTORY_RULES_FROM_YEAR, to: LUNAR_YEAR_RANGE.to });

/**
 * The 13 statutory days off of a Gregorian year, sorted by date:
 * - 元旦 1 January; 劳动节 1–2 May; 国庆节 1–3 October;
 * - 春节 4 days: 除夕 (the last day of the previous lunar year) and 正月初一 to 初三;
 * - 清明 the day of the solar term 清明 ({@link qingmingDate});
 * - 端午 5th day of the 5th lunar month; 中秋 15th day of the 8th lunar month.
 * Days that fall on a weekend are listed too: the law fixes the date, the State Council's schedule decides what is
 * made up for them. No make-up working days: only the official schedule sets those.
 * @throws CalendarError OUT_OF_RANGE before 2025 (an earlier law applied; those years come from the published
 * schedules) or past the lunar table ({@link STATUTORY_YEAR_RANGE}).
 */
export function statutoryHolidays(year: number): StatutoryHoliday[] {
  if (!Number.isInteger(year) || year < STATUTORY_YEAR_RANGE.from || year > STATUTORY_YEAR_RANGE.to) {
    throw new CalendarError(
      'OUT_OF_RANGE',
      `statutory holidays are computed for ${STATUTORY_YEAR_RANGE.from}–${STATUTORY_YEAR_RANGE.to} only ` +
        `(the 2024 amendment of the holiday law, and the lunar table), got ${year}`,
    );
  }
  const newYear = parseLocalDate(lunarNewYear(year))!;
  const days: [string, StatutoryHolidayKey][] = [
    [`${year}-01-01`, 'new-year'],
    ...[-1, 0, 1, 2].map((offset): [string, StatutoryHolidayKey] => [
      formatDayNumber(newYear + offset),
      'spring-festival',
    ]),
    [qingmingDate(year), 'qingming'],
    [`${year}-05-01`, 'labour-day'],
    [`${year}-05-02`, 'labour-day'],
    [lunarToSolar({ year, month: 5, day: 5 }), 'dragon-boat'],
    [lunarToSolar({ year, month: 8, day: 15 }), 'mid-autumn'],
    [`${year}-10-01`, 'national-day'],
    [`${year}-10-02`, 'national-day'],
    [`${year}-10-03`, 'national-day'],
  ];
  // Mid-Autumn can fall on 1–3 October (2020, 2031 …): two holidays on one date, listed twice by date.
  return days
    .map(([date, holiday]) => ({ date, holiday, name: STATUTORY_HOLIDAY_NAMES[holiday] }))
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/**
 * The date of the solar term 清明 (the sun at ecliptic longitude 15°) in China time, 4, 5 or 6 April, by the usual
 * formula for the 21st century: ⌊Y·0.2422 + 4.81⌋ − ⌊Y/4⌋ with Y = year − 2000. A spec checks it against the
 * official schedules 2008–2026.
 * @throws CalendarError OUT_OF_RANGE outside 2000–2099 (the formula's constants are for this century).
 */
export function qingmingDate(year: number): string {
  if (!Number.isInteger(year) || year < 2000 || year > 2099) {
    throw new CalendarError('OUT_OF_RANGE', `the 清明 formula holds for 2000–2099 only, got ${year}`);
  }
  const y = year - 2000;
  // Work in ten-thousandths so floating point cannot move a day boundary.
  const day = Math.floor((y * 2422 + 48100) / 10000) - Math.floor(y / 4);
  return `${year}-04-${String(day).padStart(2, '0')}`;
}
