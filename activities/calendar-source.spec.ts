import type { DataSource } from 'typeorm';
import { addDuration, isWorkingDay } from '../libs/domain/src/calendar';
import { withLocalDays } from '../libs/domain/src/calendar/local-days';
import {
  buildDefaultCalendar,
  calendarSourceOf,
  CalendarSource,
  fixedCalendarSource,
} from '../libs/persistence/src/calendar/calendar-source';
import { createLifecycleActivities } from './lifecycle.activities';

describe('calendar sources', () => {
  const national = buildDefaultCalendar();

  it('should wrap a fixed calendar and pass a source through unchanged', async () => {
    expect(await calendarSourceOf(national).current()).toBe(national);
    const source = fixedCalendarSource(national);
    expect(calendarSourceOf(source)).toBe(source);
  });

  it('should name the provisional years in the id of the national calendar, the last one ending its range', () => {
    // chinese-days 1.5.7 covers 2026: 2027 and 2028 are provisional.
    expect(national.id).toBe('cn-mainland+provisional-2027+provisional-2028');
    expect(national.coversTo).toBe(`${national.id.slice(-4)}-12-31`);
    expect(national.coversFrom).toBe('2025-01-01');
  });

  it.each<[string, string, string, string[]]>([
    // Monday 2026-12-28: the 4th working day was New Year's Day 2027 when the provisional year counted weekends only.
    ['2026-12-28T10:00:00+08:00', '4WD', '2027-01-04T10:00:00.000Z', ['2027-01-01']],
    ['2026-12-28T10:00:00+08:00', '7WD', '2027-01-07T10:00:00.000Z', ['2027-01-01']],
    // Spring Festival 2027: 除夕 Friday 5 February to 正月初三 Monday 8 February are off.
    ['2027-02-04T10:00:00+08:00', '1WD', '2027-02-09T10:00:00.000Z', ['2027-02-05', '2027-02-08']],
  ])('should lay %s + %s on the statutory holidays of the provisional year: %s', (from, duration, due, applied) => {
    const result = addDuration(national, new Date(from), duration);
    expect(result).toMatchObject({ due: new Date(due), appliedDays: applied, calendarId: national.id });
    expect(national.days.find((day) => day.date === applied[0])?.name).toMatch(/ \(provisional\)$/);
  });

  it('should replace a provisional year by its loaded official schedule, with its make-up days', () => {
    const calendar = buildDefaultCalendar([
      {
        year: 2027,
        days: [
          { date: '2027-01-01', working: false, name: '元旦' },
          { date: '2027-02-04', working: false, name: '春节' },
          { date: '2027-02-05', working: false, name: '春节' },
          { date: '2027-02-08', working: false, name: '春节' },
          { date: '2027-02-20', working: true, name: '春节调休上班' },
        ],
      },
    ]);
    expect(calendar.id).toBe('cn-mainland+provisional-2028+provisional-2029');
    expect(isWorkingDay(calendar, '2027-02-04')).toBe(false);
    expect(isWorkingDay(calendar, '2027-02-20')).toBe(true);
  });
});

describe('deadline activities over a calendar source', () => {
  const stampInput = {
    kind: 'handle' as const,
    duration: '7WD',
    from: '2026-11-23T02:00:00.000Z',
    reminderFraction: 0.8,
  };

  it('should ask the source on every call and record the version it answered', async () => {
    const versions = [
      withLocalDays(buildDefaultCalendar(), 1, []),
      withLocalDays(buildDefaultCalendar(), 2, [{ date: '2026-11-25', working: false, name: '市运会放假' }]),
    ];
    let asked = 0;
    const source: CalendarSource = { current: async () => versions[Math.min(asked++, 1)] };
    const activities = createLifecycleActivities({ dataSource: {} as DataSource, calendar: source });

    expect(await activities.stampDeadline(stampInput)).toMatchObject({
      calendarVersion: 1,
      due: '2026-12-02T10:00:00.000Z',
    });
    expect(await activities.stampDeadline(stampInput)).toMatchObject({
      calendarVersion: 2,
      due: '2026-12-03T10:00:00.000Z',
      appliedDays: ['2026-11-25'],
    });
    const [paused] = await activities.pauseDeadlines({
      at: '2026-11-24T02:00:00.000Z',
      deadlines: [await activities.stampDeadline(stampInput)],
    });
    const [resumed] = await activities.resumeDeadlines({
      at: '2026-11-24T02:00:00.000Z',
      paused: [paused],
      reminderFraction: 0.8,
    });
    expect(resumed).toMatchObject({ calendarVersion: 2, due: '2026-12-03T10:00:00.000Z' });
    expect(asked).toBe(5);
  });

  it('should let a source that cannot answer fail the activity as retryable', async () => {
    const source: CalendarSource = { current: () => Promise.reject(new Error('connection refused')) };
    const activities = createLifecycleActivities({ dataSource: {} as DataSource, calendar: source });
    const failure = await activities.stampDeadline(stampInput).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    expect(failure).not.toHaveProperty('nonRetryable', true);
    expect((failure as Error).message).toBe('connection refused');
  });
});
