import { getLunarDate } from 'chinese-days';
import chineseDaysData from 'chinese-days/dist/chinese-days.json';
import { CalendarError } from './calendar.types';
import { formatDayNumber, parseLocalDate } from './local-time';
import { LUNAR_YEAR_RANGE, lunarMonths, lunarNewYear, lunarToSolar } from './lunar-calendar';
import { qingmingDate, statutoryHolidays } from './statutory-holidays';

/** The official schedules: holiday dates by the English name `chinese-days` gives them ('Spring Festival', …). */
const official = (year: number, english: string): string[] =>
  Object.entries(chineseDaysData.holidays as Record<string, string>)
    .filter(([date, description]) => date.startsWith(`${year}-`) && description.split(',')[0] === english)
    .map(([date]) => date);
/** Whether a date lies within a holiday block (some years' data leave out the weekend days inside a block). */
const inBlock = (block: string[], date: string): boolean =>
  block.length > 0 &&
  date >= block.reduce((a, b) => (a < b ? a : b)) &&
  date <= block.reduce((a, b) => (a > b ? a : b));
const shift = (date: string, days: number) => formatDayNumber(parseLocalDate(date)! + days);
const publishedYears = Array.from({ length: 23 }, (_, index) => 2004 + index); // 2004–2026

describe('lunar calendar table', () => {
  it('should chain every lunar year into the next: new year + the year’s days = the next new year', () => {
    for (let year = LUNAR_YEAR_RANGE.from; year < LUNAR_YEAR_RANGE.to; year++) {
      const length = lunarMonths(year).reduce((sum, month) => sum + month.days, 0);
      expect([year, shift(lunarNewYear(year), length)]).toEqual([year, lunarNewYear(year + 1)]);
    }
    // 2051's 正月初一 (published: 11 February 2051) closes the last row.
    const last = lunarMonths(LUNAR_YEAR_RANGE.to).reduce((sum, month) => sum + month.days, 0);
    expect(shift(lunarNewYear(LUNAR_YEAR_RANGE.to), last)).toBe('2051-02-11');
  });

  it('should give every year 12 months, plus one leap month in 7 of every 19 years or so', () => {
    for (let year = LUNAR_YEAR_RANGE.from; year <= LUNAR_YEAR_RANGE.to; year++) {
      const months = lunarMonths(year);
      expect(months.filter((month) => !month.leap).map((month) => month.month)).toEqual([
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
      ]);
      expect(months.filter((month) => month.leap).length).toBeLessThanOrEqual(1);
    }
  });

  it.each([
    // Published 正月初一 dates (Purple Mountain Observatory).
    [2027, '2027-02-06'],
    [2028, '2028-01-26'],
    [2029, '2029-02-13'],
    [2030, '2030-02-03'],
    [2033, '2033-01-31'],
    [2040, '2040-02-12'],
    [2050, '2050-01-23'],
  ])('should place the lunar new year %i on %s', (year, date) => {
    expect(lunarNewYear(year)).toBe(date);
  });

  it('should place the Spring Festival of every published schedule 2004–2026 inside its holiday block', () => {
    for (const year of publishedYears) {
      const block = official(year, 'Spring Festival');
      const firstDays = [0, 1, 2].map((offset) => shift(lunarNewYear(year), offset));
      expect([year, firstDays.filter((date) => block.includes(date))]).toEqual([year, firstDays]);
      // 除夕 was a statutory day 2008–2013 and again from 2025.
      if ((year >= 2008 && year <= 2013) || year >= 2025) expect(block).toContain(shift(lunarNewYear(year), -1));
    }
  });

  it('should place Dragon Boat and Mid-Autumn of every published schedule 2008–2026 inside their holiday blocks', () => {
    for (const year of publishedYears.filter((y) => y >= 2008)) {
      const dragonBoat = lunarToSolar({ year, month: 5, day: 5 });
      expect([dragonBoat, inBlock(official(year, 'Dragon Boat Festival'), dragonBoat)]).toEqual([dragonBoat, true]);
      // Mid-Autumn on or next to National Day (2020, 2023, 2025) shares its block.
      const midAutumn = lunarToSolar({ year, month: 8, day: 15 });
      const inEither =
        inBlock(official(year, 'Mid-autumn Festival'), midAutumn) || inBlock(official(year, 'National Day'), midAutumn);
      expect([midAutumn, inEither]).toEqual([midAutumn, true]);
    }
  });

  it('should agree day by day with chinese-days’ lunar dates for 2004–2050', () => {
    for (let year = LUNAR_YEAR_RANGE.from; year <= LUNAR_YEAR_RANGE.to; year++) {
      let day = parseLocalDate(lunarNewYear(year))!;
      for (const month of lunarMonths(year)) {
        // The first and the last day of each month pin the month's start and its length.
        for (const lunarDay of [1, month.days]) {
          const date = formatDayNumber(day + lunarDay - 1);
          const theirs = getLunarDate(date);
          expect([date, theirs.lunarYear, theirs.lunarMon, theirs.lunarDay, theirs.isLeap]).toEqual([
            date,
            year,
            month.month,
            lunarDay,
            month.leap,
          ]);
          expect(lunarToSolar({ year, month: month.month, day: lunarDay, leap: month.leap })).toBe(date);
        }
        day += month.days;
      }
    }
  });

  it.each([
    ['a year before the table', { year: 2003, month: 1, day: 1 }, 'OUT_OF_RANGE'],
    ['a year after the table', { year: 2051, month: 1, day: 1 }, 'OUT_OF_RANGE'],
    ['a leap month the year does not have', { year: 2027, month: 5, day: 1, leap: true }, 'INVALID_ARGUMENT'],
    ['day 30 of a 29-day month', { year: 2027, month: 3, day: 30 }, 'INVALID_ARGUMENT'],
    ['day 0', { year: 2027, month: 3, day: 0 }, 'INVALID_ARGUMENT'],
  ])('should refuse %s', (_what, date, code) => {
    expect(() => lunarToSolar(date)).toThrow(expect.objectContaining({ code }) as CalendarError);
  });
});

describe('清明', () => {
  it('should fall on the Tomb-sweeping Day of every published schedule 2008–2026', () => {
    for (const year of publishedYears.filter((y) => y >= 2008)) {
      const date = qingmingDate(year);
      expect([date, official(year, 'Tomb-sweeping Day')]).toEqual([date, expect.arrayContaining([date])]);
    }
  });

  it.each([
    [2008, '2008-04-04'],
    [2025, '2025-04-04'],
    [2026, '2026-04-05'],
    [2027, '2027-04-05'],
    [2028, '2028-04-04'],
    [2029, '2029-04-04'],
    [2030, '2030-04-05'],
  ])('should put 清明 %i on %s', (year, date) => {
    expect(qingmingDate(year)).toBe(date);
  });

  it('should refuse a year outside the formula’s century', () => {
    expect(() => qingmingDate(2100)).toThrow(expect.objectContaining({ code: 'OUT_OF_RANGE' }) as CalendarError);
  });
});

describe('statutory holidays', () => {
  it.each<[number, [string, string][]]>([
    [
      2027,
      [
        ['2027-01-01', 'new-year'],
        ['2027-02-05', 'spring-festival'], // 除夕
        ['2027-02-06', 'spring-festival'], // 正月初一
        ['2027-02-07', 'spring-festival'],
        ['2027-02-08', 'spring-festival'],
        ['2027-04-05', 'qingming'],
        ['2027-05-01', 'labour-day'],
        ['2027-05-02', 'labour-day'],
        ['2027-06-09', 'dragon-boat'],
        ['2027-09-15', 'mid-autumn'],
        ['2027-10-01', 'national-day'],
        ['2027-10-02', 'national-day'],
        ['2027-10-03', 'national-day'],
      ],
    ],
    [
      2028,
      [
        ['2028-01-01', 'new-year'],
        ['2028-01-25', 'spring-festival'],
        ['2028-01-26', 'spring-festival'],
        ['2028-01-27', 'spring-festival'],
        ['2028-01-28', 'spring-festival'],
        ['2028-04-04', 'qingming'],
        ['2028-05-01', 'labour-day'],
        ['2028-05-02', 'labour-day'],
        ['2028-05-28', 'dragon-boat'],
        ['2028-10-01', 'national-day'],
        ['2028-10-02', 'national-day'],
        ['2028-10-03', 'mid-autumn'],
        ['2028-10-03', 'national-day'],
      ],
    ],
  ])('should list the 13 statutory days of %i', (year, expected) => {
    const days = statutoryHolidays(year).map(({ date, holiday }) => [date, holiday]);
    expect(days).toEqual(expected);
  });

  it('should match the statutory days of the published schedules 2025 and 2026 (the amended law)', () => {
    for (const year of [2025, 2026]) {
      for (const { date, holiday, name } of statutoryHolidays(year)) {
        const english = name.slice(name.indexOf(' ') + 1);
        const blocks = holiday === 'mid-autumn' ? [...official(year, english), ...official(year, 'National Day')] : [];
        expect([date, [...official(year, english), ...blocks]]).toEqual([date, expect.arrayContaining([date])]);
      }
    }
  });

  it('should name each day as the national data does', () => {
    expect(statutoryHolidays(2027)[0]).toEqual({
      date: '2027-01-01',
      holiday: 'new-year',
      name: "元旦 New Year's Day",
    });
  });

  it.each([2024, 2051, 2027.5])('should refuse the year %s', (year) => {
    expect(() => statutoryHolidays(year)).toThrow(expect.objectContaining({ code: 'OUT_OF_RANGE' }) as CalendarError);
  });
});
