import type { DataSource } from 'typeorm';
import { withLocalDays } from '../libs/domain/src/calendar/local-days';
import { buildDefaultCalendar, calendarSourceOf, CalendarSource, fixedCalendarSource } from './calendar-source';
import { createLifecycleActivities } from './lifecycle.activities';

describe('calendar sources', () => {
  const national = buildDefaultCalendar();

  it('should wrap a fixed calendar and pass a source through unchanged', async () => {
    expect(await calendarSourceOf(national).current()).toBe(national);
    const source = fixedCalendarSource(national);
    expect(calendarSourceOf(source)).toBe(source);
  });

  it('should name the provisional year in the id of the national calendar', () => {
    expect(national.id).toMatch(/^cn-mainland\+provisional-\d{4}$/);
    expect(national.coversTo).toBe(`${national.id.slice(-4)}-12-31`);
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
