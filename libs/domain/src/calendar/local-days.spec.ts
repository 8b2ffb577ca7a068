import { addDuration, isWorkingDay } from './calendar';
import { CalendarError } from './calendar.types';
import { buildChineseCalendar } from './chinese-days-source';
import { LocalDay, localDayProblem, withLocalDays } from './local-days';

describe('withLocalDays', () => {
  const national = buildChineseCalendar({ id: 'cn-mainland', version: 2026, fromYear: 2026, toYear: 2026 });
  const sportsDay: LocalDay = { date: '2026-11-25', working: false, name: '市运会放假' };

  it('should lay a local day off over the national data under the given version, keeping the id', () => {
    const calendar = withLocalDays(national, 4, [sportsDay]);
    expect(calendar).toMatchObject({ id: 'cn-mainland', version: 4, coversFrom: '2026-01-01' });
    expect(calendar.days).toContainEqual({ ...sportsDay, source: 'local' });
    expect(isWorkingDay(calendar, '2026-11-25')).toBe(false);
    expect(isWorkingDay(national, '2026-11-25')).toBe(true);
    const dates = calendar.days.map((day) => day.date);
    expect(dates).toEqual([...dates].sort());
  });

  it('should move a working-day deadline that crosses the local day off, and name the day it applied', () => {
    // Monday 2026-11-23 10:00 China time: 7 working days end on Wednesday 2026-12-02, one day later with 11-25 off.
    const from = new Date('2026-11-23T02:00:00.000Z');
    expect(addDuration(national, from, '7WD').due.toISOString()).toBe('2026-12-02T10:00:00.000Z');
    const result = addDuration(withLocalDays(national, 2, [sportsDay]), from, '7WD');
    expect(result).toMatchObject({ calendarId: 'cn-mainland', calendarVersion: 2, appliedDays: ['2026-11-25'] });
    expect(result.due.toISOString()).toBe('2026-12-03T10:00:00.000Z');
  });

  it('should replace the national entry of the same date rather than list the date twice', () => {
    const calendar = withLocalDays(national, 2, [{ date: '2026-10-07', working: true, name: '本市照常上班' }]);
    expect(calendar.days.filter((day) => day.date === '2026-10-07')).toEqual([
      { date: '2026-10-07', working: true, name: '本市照常上班', source: 'local' },
    ]);
  });

  it('should leave out a local day the national range no longer covers', () => {
    const calendar = withLocalDays(national, 3, [{ date: '2025-11-13', working: false, name: '旧的本地休息日' }]);
    expect(calendar.days.map((day) => day.date)).not.toContain('2025-11-13');
  });

  it.each([
    ['a date listed twice', [sportsDay, sportsDay]],
    ['a malformed date', [{ ...sportsDay, date: '2026-02-30' }]],
  ])('should refuse %s', (_what, days) => {
    expect(() => withLocalDays(national, 2, days)).toThrow(CalendarError);
  });
});

describe('localDayProblem', () => {
  const calendar = withLocalDays(buildChineseCalendar({ id: 'cn', version: 1, fromYear: 2026, toYear: 2026 }), 2, [
    { date: '2026-11-25', working: false, name: '市运会放假' },
  ]);

  it.each<[string, LocalDay, { field: string; rule: string } | undefined]>([
    ['a day off on a weekday', { date: '2026-11-26', working: false, name: 'x' }, undefined],
    ['a working Saturday', { date: '2026-11-28', working: true, name: 'x' }, undefined],
    ['a working national holiday', { date: '2026-10-07', working: true, name: 'x' }, undefined],
    [
      'a date that does not exist',
      { date: '2026-02-30', working: false, name: 'x' },
      { field: 'date', rule: 'date-format' },
    ],
    [
      'a date in another format',
      { date: '26-11-26', working: false, name: 'x' },
      { field: 'date', rule: 'date-format' },
    ],
    [
      'a date past the range',
      { date: '2027-01-04', working: false, name: 'x' },
      { field: 'date', rule: 'out-of-range' },
    ],
    [
      'a date before the range',
      { date: '2025-12-31', working: false, name: 'x' },
      { field: 'date', rule: 'out-of-range' },
    ],
    [
      'a date already local',
      { date: '2026-11-25', working: true, name: 'x' },
      { field: 'date', rule: 'duplicate-day' },
    ],
    [
      'a day off on a Sunday',
      { date: '2026-11-29', working: false, name: 'x' },
      { field: 'working', rule: 'no-effect' },
    ],
    [
      'a day off on a holiday',
      { date: '2026-10-01', working: false, name: 'x' },
      { field: 'working', rule: 'no-effect' },
    ],
    ['a working weekday', { date: '2026-11-27', working: true, name: 'x' }, { field: 'working', rule: 'no-effect' }],
  ])('should judge %s', (_what, day, expected) => {
    const problem = localDayProblem(calendar, day);
    if (expected === undefined) expect(problem).toBeUndefined();
    else expect(problem).toMatchObject(expected);
    if (problem) expect(problem.message).toContain(day.date);
  });
});
