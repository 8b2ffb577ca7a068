/**
 * Expected values are hand-checked against chinese-days 1.5.7 (2025: 元旦 Jan 1; 端午 May 31–Jun 2; 国庆 Oct 1–8,
 * make-up Sun Sep 28 and Sat Oct 11. 2026: 元旦 Jan 1–3, make-up Sun Jan 4; 春节 Feb 15–23, make-up Sat Feb 14 and
 * Feb 28). All times are local Asia/Shanghai (UTC+8).
 */
import {
  CalendarError,
  WorkCalendar,
  addDuration,
  isWorkingDay,
  nextWorkingDayAfter,
  remainingWorkingTime,
  resumeDeadline,
  toLocalIsoString,
} from './index';
import { buildChineseCalendar } from './chinese-days-source';

const HOUR = 3_600_000;
const calendar = buildChineseCalendar({ id: 'cn-test', version: 1, fromYear: 2025, toYear: 2026 });
const GOLDEN_WEEK_2025 = ['2025-10-01', '2025-10-02', '2025-10-03', '2025-10-06', '2025-10-07', '2025-10-08'];
const NEW_YEAR_2026 = ['2026-01-01', '2026-01-02', '2026-01-04'];

/** A local Asia/Shanghai wall-clock time 'YYYY-MM-DDTHH:MM' as an instant. */
const at = (local: string): Date => new Date(`${local}:00+08:00`);

describe('isWorkingDay', () => {
  it.each([
    ['2025-11-12', true, 'an ordinary Wednesday'],
    ['2025-11-15', false, 'an ordinary Saturday'],
    ['2025-10-01', false, 'National Day on a Wednesday'],
    ['2025-10-04', false, 'a Golden Week Saturday'],
    ['2025-10-11', true, 'the make-up Saturday after Golden Week'],
    ['2025-12-31', true, "New Year's Eve 2025"],
    ['2026-01-02', false, "the Friday of New Year's Day 2026"],
    ['2026-01-04', true, 'the make-up Sunday after New Year 2026'],
    ['2026-02-14', true, 'the make-up Saturday before Spring Festival 2026'],
    ['2026-02-16', false, 'a Spring Festival Monday'],
  ])('should say %s is working=%s (%s)', (date, expected) => {
    expect(isWorkingDay(calendar, date)).toBe(expected);
  });

  it('should reject a malformed local date', () => {
    expect(() => isWorkingDay(calendar, '2025-02-30')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

describe('addDuration', () => {
  it.each<[string, string, string, string, string[]]>([
    [
      'count 7 working days from the day after arrival across Golden Week, make-up Saturday included',
      '2025-09-30T10:00',
      '7WD',
      '2025-10-16T18:00',
      [...GOLDEN_WEEK_2025, '2025-10-11'],
    ],
    [
      'count a make-up Saturday as the first working day',
      '2025-10-10T10:00',
      '1WD',
      '2025-10-11T18:00',
      ['2025-10-11'],
    ],
    ['never count the arrival day, even a make-up working Sunday', '2025-09-28T10:00', '1WD', '2025-09-29T18:00', []],
    ['never count the arrival day, even before opening', '2025-11-12T07:00', '1WD', '2025-11-13T18:00', []],
    ['start counting on Monday for an arrival on Saturday', '2025-11-15T10:00', '1WD', '2025-11-17T18:00', []],
    [
      "skip New Year's Day 2026 and count the make-up Sunday",
      '2025-12-31T15:00',
      '1WD',
      '2026-01-04T18:00',
      NEW_YEAR_2026,
    ],
    [
      "land on the make-up Sunday when counting over New Year's Eve",
      '2025-12-29T10:00',
      '3WD',
      '2026-01-04T18:00',
      NEW_YEAR_2026,
    ],
    ['end 2 natural hours after a Friday 17:30 start at 19:30', '2025-11-14T17:30', 'PT2H', '2025-11-14T19:30', []],
    ['count natural days through holidays', '2025-12-31T12:00', 'P1D', '2026-01-01T12:00', []],
    ['count natural days and hours around the clock', '2025-11-14T17:30', 'P1DT2H', '2025-11-15T19:30', []],
    ['carry 2 working hours from Friday 17:30 to Monday 10:30', '2025-11-14T17:30', '2WH', '2025-11-17T10:30', []],
    [
      'skip a Dragon Boat Monday when carrying working hours over the weekend',
      '2025-05-30T17:30',
      '2WH',
      '2025-06-03T10:30',
      ['2025-06-02'],
    ],
    ['carry working hours onto a make-up Saturday', '2026-02-13T17:30', '2WH', '2026-02-14T10:30', ['2026-02-14']],
    [
      "carry working hours over New Year's Day 2026 to the make-up Sunday",
      '2025-12-31T17:00',
      '2WH',
      '2026-01-04T10:00',
      NEW_YEAR_2026,
    ],
    ['count working hours from 13:30 when started during lunch', '2025-11-12T12:30', '2WH', '2025-11-12T15:30', []],
    ['count working hours from 09:00 when started before opening', '2025-11-12T07:00', '2WH', '2025-11-12T11:00', []],
    [
      'count working hours from the next opening when started after close',
      '2025-11-12T19:00',
      '2WH',
      '2025-11-13T11:00',
      [],
    ],
    ['skip the lunch break inside a working-hours deadline', '2025-11-12T11:00', '2WH', '2025-11-12T14:30', []],
    ['split half a working hour around lunch', '2025-11-12T11:45', '0.5WH', '2025-11-12T13:45', []],
    ['stop at 18:00 when the working hours end exactly at close', '2025-11-12T16:00', '2WH', '2025-11-12T18:00', []],
    ['stop at 12:00 when the working hours end exactly at noon', '2025-11-12T09:00', '3WH', '2025-11-12T12:00', []],
    ['start at 13:30 when started exactly at noon', '2025-11-12T12:00', '1WH', '2025-11-12T14:30', []],
    ['carry a working day and a half-hour into the next morning', '2025-11-12T09:00', '8WH', '2025-11-13T09:30', []],
    [
      'count working hours from the first opening after Golden Week when started on a holiday',
      '2025-10-01T10:00',
      '1WH',
      '2025-10-09T10:00',
      GOLDEN_WEEK_2025,
    ],
  ])('should %s', (_title, start, duration, due, appliedDays) => {
    const result = addDuration(calendar, at(start), duration);
    expect(toLocalIsoString(calendar, result.due)).toBe(`${due}:00+08:00`);
    expect(result.due).toEqual(at(due));
    expect(result.appliedDays).toEqual(appliedDays);
  });

  it('should record the calendar id and version and accept a parsed duration or epoch ms', () => {
    const result = addDuration(calendar, at('2025-09-30T10:00').getTime(), { kind: 'workingDays', days: 7 });
    expect(result).toMatchObject({ calendarId: 'cn-test', calendarVersion: 1, due: at('2025-10-16T18:00') });
  });

  it('should reject a malformed duration with the rule named', () => {
    expect(() => addDuration(calendar, at('2025-11-12T10:00'), '7 days')).toThrow(/rule UNKNOWN_FORMAT/);
  });
});

describe('covered range', () => {
  it.each<[string, () => unknown, string]>([
    [
      'a working-days deadline running into 2027',
      () => addDuration(calendar, at('2026-12-28T10:00'), '7WD'),
      '2027-01-01',
    ],
    [
      'a working-hours deadline started in 2024',
      () => addDuration(calendar, at('2024-12-31T10:00'), '1WH'),
      '2024-12-31',
    ],
    ['a working-day question about 2027', () => isWorkingDay(calendar, '2027-03-01'), '2027-03-01'],
    [
      'the working day after the last covered day',
      () => nextWorkingDayAfter(calendar, at('2026-12-31T10:00')),
      '2027-01-01',
    ],
    ['a resume past the covered years', () => resumeDeadline(calendar, at('2026-12-31T17:00'), 2 * HOUR), '2027-01-01'],
  ])('should throw a clear error for %s, naming the calendar and the date', (_title, compute, date) => {
    expect(compute).toThrow(CalendarError);
    expect(compute).toThrow(expect.objectContaining({ code: 'OUT_OF_RANGE' }));
    expect(compute).toThrow(
      `calendar "cn-test" version 1 covers 2025-01-01 to 2026-12-31 only; cannot compute ${date}`,
    );
  });

  it('should measure working time up to midnight ending the last covered day without touching the next day', () => {
    expect(remainingWorkingTime(calendar, at('2026-12-31T17:00'), at('2027-01-01T00:00'))).toBe(HOUR);
  });

  it('should compute natural time beyond the covered years, since it ignores holidays', () => {
    expect(addDuration(calendar, at('2027-06-01T10:00'), 'PT2H').due).toEqual(at('2027-06-01T12:00'));
  });
});

describe('calendar validation', () => {
  const broken = (patch: Partial<WorkCalendar>): WorkCalendar => ({ ...calendar, ...patch });
  it.each<[string, Partial<WorkCalendar>]>([
    [
      'overlapping office hours',
      {
        officeHours: [
          { start: '09:00', end: '12:00' },
          { start: '11:00', end: '18:00' },
        ],
      },
    ],
    ['an office span ending before it starts', { officeHours: [{ start: '18:00', end: '09:00' }] }],
    ['no office hours', { officeHours: [] }],
    ['a weekday number out of 1..7', { weekend: [0] }],
    ['a date listed twice', { days: [...calendar.days, calendar.days[0]] }],
    ['coverage in the wrong order', { coversFrom: '2026-01-01', coversTo: '2025-12-31' }],
    ['a fractional utc offset', { utcOffsetMinutes: 480.5 }],
  ])('should reject a calendar with %s', (_title, patch) => {
    expect(() => addDuration(broken(patch), at('2025-11-12T10:00'), '1WH')).toThrow(
      expect.objectContaining({ code: 'INVALID_CALENDAR' }),
    );
  });
});
