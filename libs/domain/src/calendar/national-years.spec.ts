import { addDuration, isWorkingDay } from './calendar';
import { CalendarError } from './calendar.types';
import { buildChineseCalendar } from './chinese-days-source';
import type { LocalDay } from './local-days';
import {
  nationalYearsOf,
  OfficialYear,
  officialYearProblems,
  provisionalDays,
  sameSchedule,
  withNationalYears,
} from './national-years';

/** The package's last two years, as the default calendar has them. */
const packageCalendar = buildChineseCalendar({ id: 'cn-mainland', version: 1, fromYear: 2025, toYear: 2026 });

/**
 * A made-up official schedule for 2027 in the usual shape (not the real one, which is not published yet): New
 * Year's Day Friday to Sunday; Spring Festival Thursday 4 to Friday 12 February with two make-up Saturdays and
 * Sundays; the other holidays on their statutory days, blocks with their weekends.
 */
const official2027: OfficialYear = {
  year: 2027,
  days: [
    { date: '2027-01-01', working: false, name: '元旦' },
    { date: '2027-01-02', working: false, name: '元旦' },
    { date: '2027-01-03', working: false, name: '元旦' },
    { date: '2027-01-31', working: true, name: '春节调休上班' },
    ...['04', '05', '06', '07', '08', '09', '10', '11', '12'].map((d) => ({
      date: `2027-02-${d}`,
      working: false,
      name: '春节',
    })),
    { date: '2027-02-20', working: true, name: '春节调休上班' },
    { date: '2027-04-05', working: false, name: '清明节' },
    { date: '2027-05-01', working: false, name: '劳动节' },
    { date: '2027-05-02', working: false, name: '劳动节' },
    { date: '2027-05-03', working: false, name: '劳动节' },
    { date: '2027-06-09', working: false, name: '端午节' },
    { date: '2027-09-15', working: false, name: '中秋节' },
    ...['01', '02', '03', '04', '05', '06', '07'].map((d) => ({
      date: `2027-10-${d}`,
      working: false,
      name: '国庆节',
    })),
    { date: '2027-09-26', working: true, name: '国庆节调休上班' },
  ],
};
const at18 = (date: string) => `${date}T10:00:00.000Z`; // 18:00 China time
const monday20261228 = new Date('2026-12-28T02:00:00.000Z'); // Monday 10:00 China time

describe('provisional years', () => {
  const calendar = withNationalYears(packageCalendar, []);

  it('should hold the next two years as provisional, named in the id, past the package', () => {
    expect(calendar).toMatchObject({
      id: 'cn-mainland+provisional-2027+provisional-2028',
      version: 1,
      coversFrom: '2025-01-01',
      coversTo: '2028-12-31',
    });
    expect(nationalYearsOf(calendar)).toEqual({ official: [], provisional: [2027, 2028] });
    // The package's years are untouched.
    expect(calendar.days.filter((day) => day.date < '2027')).toEqual(packageCalendar.days);
  });

  it('should list the statutory holidays of 2027 that fall on weekdays, each named provisional, and no make-up day', () => {
    expect(calendar.days.filter((day) => day.date.startsWith('2027-'))).toEqual(
      [
        ['2027-01-01', "元旦 New Year's Day"],
        ['2027-02-05', '春节 Spring Festival'], // 除夕, Friday
        ['2027-02-08', '春节 Spring Festival'], // 正月初三, Monday (初一 and 初二 are a weekend)
        ['2027-04-05', '清明 Tomb-sweeping Day'],
        ['2027-06-09', '端午 Dragon Boat Festival'],
        ['2027-09-15', '中秋 Mid-autumn Festival'],
        ['2027-10-01', '国庆节 National Day'],
      ].map(([date, name]) => ({ date, working: false, name: `${name} (provisional)`, source: 'provisional' })),
    );
    expect(calendar.days.filter((day) => day.date >= '2027' && day.working)).toEqual([]);
  });

  it.each([
    ['2027-01-01', false], // New Year's Day
    ['2027-01-04', true],
    ['2027-02-04', true],
    ['2027-02-05', false], // 除夕
    ['2027-02-06', false], // 正月初一 (Saturday)
    ['2027-02-07', false],
    ['2027-02-08', false], // 正月初三
    ['2027-02-09', true],
    ['2027-04-05', false], // 清明
    ['2027-05-03', true], // Labour Day is 1–2 May, a weekend: only the official schedule can move it
    ['2027-06-09', false],
    ['2027-09-15', false],
    ['2027-10-01', false],
    ['2027-10-04', true],
    ['2028-01-25', false], // 除夕 2028
    ['2028-10-03', false], // Mid-Autumn and National Day on the same Tuesday
    ['2028-10-04', true],
  ])('should make %s working=%s', (date, working) => {
    expect(isWorkingDay(calendar, date)).toBe(working);
  });

  it('should no longer end a deadline from 2026-12-28 on New Year’s Day 2027, and say which day moved it', () => {
    // Weekends only (as before), 4 working days from Monday 2026-12-28 ended on Friday 2027-01-01.
    const weekendsOnly = { ...calendar, days: calendar.days.filter((day) => day.source !== 'provisional') };
    expect(addDuration(weekendsOnly, monday20261228, '4WD').due.toISOString()).toBe(at18('2027-01-01'));
    expect(addDuration(calendar, monday20261228, '4WD')).toMatchObject({
      due: new Date(at18('2027-01-04')),
      calendarId: 'cn-mainland+provisional-2027+provisional-2028',
      appliedDays: ['2027-01-01'],
    });
    expect(addDuration(weekendsOnly, monday20261228, '7WD').due.toISOString()).toBe(at18('2027-01-06'));
    expect(addDuration(calendar, monday20261228, '7WD').due.toISOString()).toBe(at18('2027-01-07'));
  });

  it('should skip the Spring Festival 2027: 7 working days from Monday 1 February end on Friday 12 February', () => {
    const result = addDuration(calendar, new Date('2027-02-01T02:00:00.000Z'), '7WD');
    // Counted: 2, 3, 4 February, then 5–8 are off (除夕 to 正月初三), then 9, 10, 11, 12.
    expect(result).toMatchObject({ due: new Date(at18('2027-02-12')), appliedDays: ['2027-02-05', '2027-02-08'] });
  });

  it('should keep the provisional years two ahead of the last official year', () => {
    const later = withNationalYears(packageCalendar, [official2027]);
    expect(later.id).toBe('cn-mainland+provisional-2028+provisional-2029');
    expect(later.coversTo).toBe('2029-12-31');
    expect(nationalYearsOf(later)).toEqual({ official: [2027], provisional: [2028, 2029] });
    expect(withNationalYears(packageCalendar, [], 1).id).toBe('cn-mainland+provisional-2027');
  });

  it('should refuse a provisional year past the statutory holiday table', () => {
    expect(() => provisionalDays(2051)).toThrow(expect.objectContaining({ code: 'OUT_OF_RANGE' }) as CalendarError);
  });
});

describe('official years', () => {
  const calendar = withNationalYears(packageCalendar, [official2027]);
  const days2027 = calendar.days.filter((day) => day.date.startsWith('2027-'));

  it('should replace the provisional year with the schedule: its days off on weekdays and its make-up weekend days', () => {
    expect(days2027.every((day) => day.source === 'official')).toBe(true);
    expect(days2027.filter((day) => day.working).map((day) => day.date)).toEqual([
      '2027-01-31',
      '2027-02-20',
      '2027-09-26',
    ]);
    // Days off on weekends change nothing and are left out, as for the package's data.
    expect(days2027.map((day) => day.date)).not.toContain('2027-01-02');
    expect(days2027).toContainEqual({ date: '2027-02-04', working: false, name: '春节', source: 'official' });
  });

  it.each([
    ['2027-01-31', true], // make-up Sunday
    ['2027-02-04', false],
    ['2027-02-12', false],
    ['2027-02-20', true], // make-up Saturday
    ['2027-05-03', false],
    ['2027-10-07', false],
    ['2027-09-26', true],
    ['2028-01-25', false], // 2028 is still provisional
  ])('should make %s working=%s', (date, working) => {
    expect(isWorkingDay(calendar, date)).toBe(working);
  });

  it('should let an official schedule replace the package’s own entries for its year', () => {
    const corrected = withNationalYears(packageCalendar, [
      { year: 2026, days: [{ date: '2026-11-25', working: false, name: '更正' }] },
    ]);
    expect(corrected.days.filter((day) => day.date.startsWith('2026-'))).toEqual([
      { date: '2026-11-25', working: false, name: '更正', source: 'official' },
    ]);
  });

  it.each<[string, OfficialYear]>([
    ['a year listed twice', { year: 2027, days: [] }],
    ['a date outside the year', { year: 2028, days: [{ date: '2027-12-31', working: false, name: 'x' }] }],
  ])('should refuse %s', (_what, extra) => {
    expect(() => withNationalYears(packageCalendar, [official2027, extra])).toThrow(
      expect.objectContaining({ code: 'INVALID_CALENDAR' }) as CalendarError,
    );
  });
});

describe('officialYearProblems', () => {
  const provisional = withNationalYears(packageCalendar, []);
  const with2027 = (change: (days: LocalDay[]) => LocalDay[]): OfficialYear => ({
    year: 2027,
    days: change(official2027.days.map((day) => ({ ...day }))),
  });

  it('should accept a complete schedule for a provisional year, and a correction of an official one', () => {
    expect(officialYearProblems(provisional, official2027)).toEqual([]);
    expect(officialYearProblems(withNationalYears(packageCalendar, [official2027]), official2027)).toEqual([]);
  });

  it.each<[string, OfficialYear, { field: string; rule: string }[]]>([
    ['a year the package covers', { ...official2027, year: 2026 }, [{ field: 'year', rule: 'not-provisional' }]],
    ['a year past the provisional ones', { ...official2027, year: 2029 }, [{ field: 'year', rule: 'not-provisional' }]],
    [
      'a date of another year',
      with2027((days) => [...days, { date: '2028-01-01', working: false, name: '元旦' }]),
      [{ field: `days.${official2027.days.length}.date`, rule: 'outside-year' }],
    ],
    [
      'a date listed twice',
      with2027((days) => [...days, { date: '2027-02-20', working: false, name: '春节' }]),
      [{ field: `days.${official2027.days.length}.date`, rule: 'duplicate-day' }],
    ],
    [
      'a make-up working day on a weekday',
      with2027((days) => [...days, { date: '2027-02-17', working: true, name: '春节调休上班' }]),
      [{ field: `days.${official2027.days.length}.working`, rule: 'no-effect' }],
    ],
    [
      'a statutory holiday left out (Mid-Autumn)',
      with2027((days) => days.filter((day) => day.date !== '2027-09-15')),
      [{ field: 'days', rule: 'statutory-holiday-missing' }],
    ],
    [
      'a statutory holiday on a weekend made a working day (Labour Day, Saturday 1 May)',
      with2027((days) => days.map((day) => (day.date === '2027-05-01' ? { ...day, working: true } : day))),
      [{ field: 'days', rule: 'statutory-holiday-missing' }],
    ],
  ])('should refuse %s, naming the field and rule', (_what, schedule, expected) => {
    const problems = officialYearProblems(provisional, schedule);
    expect(problems.map(({ field, rule }) => ({ field, rule }))).toEqual(expected);
    expect(problems.every((problem) => problem.message.length > 0)).toBe(true);
  });

  it('should name the missing holiday and its date', () => {
    const [problem] = officialYearProblems(
      provisional,
      with2027((days) => days.filter((day) => day.date !== '2027-02-05')),
    );
    expect(problem.message).toBe(
      '2027-02-05 (spring-festival) is a statutory holiday of 2027 and must be a day off in its schedule',
    );
  });
});

describe('sameSchedule', () => {
  it('should compare the days in any order, and tell a changed name or flag', () => {
    const reversed = [...official2027.days].reverse();
    expect(sameSchedule(official2027.days, reversed)).toBe(true);
    expect(sameSchedule(official2027.days, reversed.slice(1))).toBe(false);
    const renamed = official2027.days.map((day, i) => (i === 0 ? { ...day, name: '新年' } : day));
    expect(sameSchedule(official2027.days, renamed)).toBe(false);
  });
});
