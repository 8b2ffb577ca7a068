/**
 * Suspension and reminder points. Expected values are hand-checked against chinese-days 1.5.7 (2025: 国庆 Oct 1–8,
 * make-up Sun Sep 28 and Sat Oct 11). All times are local Asia/Shanghai (UTC+8).
 */
import {
  CalendarError,
  addDuration,
  fractionPoint,
  nextWorkingDayAfter,
  pauseClock,
  remainingWorkingTime,
  resumeClock,
  resumeDeadline,
  toLocalDate,
} from './index';
import { buildChineseCalendar } from './chinese-days-source';

const HOUR = 3_600_000;
const calendar = buildChineseCalendar({ id: 'cn-test', version: 1, fromYear: 2025, toYear: 2026 });
const GOLDEN_WEEK_2025 = ['2025-10-01', '2025-10-02', '2025-10-03', '2025-10-06', '2025-10-07', '2025-10-08'];

/** A local Asia/Shanghai wall-clock time 'YYYY-MM-DDTHH:MM' as an instant. */
const at = (local: string): Date => new Date(`${local}:00+08:00`);

describe('suspension', () => {
  it('should preserve the remaining working time of a working-days deadline across a weekend', () => {
    const { due } = addDuration(calendar, at('2025-11-10T10:00'), '7WD');
    expect(due).toEqual(at('2025-11-19T18:00'));
    const remaining = remainingWorkingTime(calendar, at('2025-11-14T15:00'), due);
    expect(remaining).toBe(25.5 * HOUR); // Fri 15:00–18:00 + Mon, Tue, Wed
    const resumed = resumeDeadline(calendar, at('2025-11-17T15:00'), remaining);
    expect(resumed.due).toEqual(at('2025-11-20T18:00'));
    expect(remainingWorkingTime(calendar, at('2025-11-17T15:00'), resumed.due)).toBe(remaining);
  });

  it('should resume a working-hours deadline from the next opening when resumed on a weekend', () => {
    const { due } = addDuration(calendar, at('2025-11-14T16:00'), '4WH');
    expect(due).toEqual(at('2025-11-17T11:00'));
    const remaining = pauseClock(calendar, 'workingHours', at('2025-11-14T17:00'), due);
    expect(remaining).toBe(3 * HOUR);
    expect(resumeClock(calendar, 'workingHours', at('2025-11-15T10:00'), remaining).due).toEqual(
      at('2025-11-17T12:00'),
    );
  });

  it('should skip holidays a suspension runs into when resuming', () => {
    const remaining = remainingWorkingTime(calendar, at('2025-09-30T17:00'), at('2025-10-09T10:00'));
    expect(remaining).toBe(2 * HOUR); // Sep 30 17:00–18:00 and Oct 9 09:00–10:00
    const resumed = resumeDeadline(calendar, at('2025-10-03T12:00'), remaining);
    expect(resumed).toMatchObject({
      due: at('2025-10-09T11:00'),
      appliedDays: ['2025-10-03', ...GOLDEN_WEEK_2025.slice(3)],
    });
  });

  it('should keep counting natural time around the clock from the resume instant', () => {
    const { due } = addDuration(calendar, at('2025-11-14T10:00'), 'PT2H');
    const remaining = pauseClock(calendar, 'natural', at('2025-11-14T11:00'), due);
    expect(remaining).toBe(HOUR);
    expect(resumeClock(calendar, 'natural', at('2025-11-15T20:00'), remaining)).toMatchObject({
      due: at('2025-11-15T21:00'),
      appliedDays: [],
    });
  });

  it('should owe nothing for a deadline already passed, leaving the case overdue on resume', () => {
    expect(remainingWorkingTime(calendar, at('2025-11-14T10:00'), at('2025-11-13T18:00'))).toBe(0);
    expect(pauseClock(calendar, 'natural', at('2025-11-14T10:00'), at('2025-11-13T18:00'))).toBe(0);
    expect(resumeDeadline(calendar, at('2025-11-17T10:00'), 0).due).toEqual(at('2025-11-17T10:00'));
  });

  it('should reject a negative remaining time', () => {
    expect(() => resumeDeadline(calendar, at('2025-11-17T10:00'), -1)).toThrow(CalendarError);
  });
});

describe('fractionPoint', () => {
  it.each<[string, 'natural' | 'workingDays' | 'workingHours', string, string, number, string]>([
    [
      '80 % of 7 working days, counted from the day after arrival',
      'workingDays',
      '2025-09-30T10:00',
      '2025-10-16T18:00',
      0.8,
      '2025-10-15T15:00',
    ],
    [
      '100 % of working days as the deadline',
      'workingDays',
      '2025-09-30T10:00',
      '2025-10-16T18:00',
      1,
      '2025-10-16T18:00',
    ],
    ['80 % of 10 natural hours', 'natural', '2025-11-12T08:00', '2025-11-12T18:00', 0.8, '2025-11-12T16:00'],
    [
      '80 % of 10 working hours in office time',
      'workingHours',
      '2025-11-12T09:00',
      '2025-11-13T11:30',
      0.8,
      '2025-11-13T09:30',
    ],
    [
      '0 % of working hours as the start',
      'workingHours',
      '2025-11-12T10:00',
      '2025-11-12T15:00',
      0,
      '2025-11-12T10:00',
    ],
  ])('should place %s', (_title, kind, start, due, fraction, expected) => {
    expect(fractionPoint(calendar, kind, at(start), at(due), fraction)).toEqual(at(expected));
  });

  it('should reject a fraction outside 0..1', () => {
    expect(() => fractionPoint(calendar, 'natural', at('2025-11-12T08:00'), at('2025-11-12T18:00'), 1.5)).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });
});

describe('nextWorkingDayAfter', () => {
  it.each([
    ['jump Golden Week after an expiry on its eve', at('2025-09-30T20:00'), '2025-10-09T09:00'],
    ['open on a make-up Saturday', at('2025-10-10T10:00'), '2025-10-11T09:00'],
    ["open on the make-up Sunday after New Year's Eve", at('2025-12-31T08:00'), '2026-01-04T09:00'],
    [
      'use the local date, not the UTC date (Friday 00:30 local is Thursday in UTC)',
      new Date('2025-11-13T16:30:00Z'),
      '2025-11-17T09:00',
    ],
  ])('should %s', (_title, instant, expected) => {
    expect(nextWorkingDayAfter(calendar, instant)).toEqual(at(expected));
  });

  it('should convert instants to local dates at UTC+8', () => {
    expect(toLocalDate(calendar, new Date('2025-11-13T16:30:00Z'))).toBe('2025-11-14');
  });
});
