/**
 * Working-day calendar data. A calendar is a plain JSON-serialisable object: it is versioned, stored, sent to
 * workflows as input and recorded next to every deadline it produced.
 */

/** One block of office time inside a local day, as 'HH:MM' local wall-clock times; `end` may be '24:00'. */
export interface OfficeHoursSpan {
  start: string;
  end: string;
}

/**
 * Where a per-date override came from: the national data package (`chinese-days`), an official schedule an operator
 * loaded for a year the package does not cover yet (`official`), the statutory holidays of a year whose schedule is
 * not published yet (`provisional`), or an operator's local decision (`local`).
 */
export type CalendarDaySource = 'chinese-days' | 'official' | 'provisional' | 'local';

/**
 * A per-date override of the weekday/weekend rule: a public holiday on a weekday (`working: false`), a make-up
 * working day 调休 on a weekend (`working: true`), or a local day off or on added by an operator.
 */
export interface CalendarDay {
  /** Local date, 'YYYY-MM-DD'. */
  date: string;
  working: boolean;
  /** Human-readable reason, e.g. '国庆节 National Day'. */
  name: string;
  source: CalendarDaySource;
}

/**
 * A working-day calendar. Times are local wall-clock times at a fixed offset from UTC: China has no daylight
 * saving time, so a fixed offset keeps the arithmetic deterministic and free of Intl / time-zone databases.
 */
export interface WorkCalendar {
  id: string;
  /** Integer version; bump it whenever `days`, `officeHours` or `weekend` change. */
  version: number;
  /** Local time minus UTC, in minutes: 480 for Asia/Shanghai (UTC+8). */
  utcOffsetMinutes: number;
  /** Office hours on every working day, sorted and non-overlapping. Default 09:00–12:00 and 13:30–18:00. */
  officeHours: OfficeHoursSpan[];
  /** ISO weekday numbers (1 = Monday … 7 = Sunday) that are days off unless overridden. Default [6, 7]. */
  weekend: number[];
  /** Per-date overrides, at most one per date. */
  days: CalendarDay[];
  /** First local date ('YYYY-MM-DD') whose holidays are known; computing before it throws. */
  coversFrom: string;
  /** Last local date ('YYYY-MM-DD') whose holidays are known; computing after it throws. */
  coversTo: string;
}

/** Asia/Shanghai: UTC+8, no daylight saving time. */
export const SHANGHAI_UTC_OFFSET_MINUTES = 480;

/** Default office hours: 09:00–12:00 and 13:30–18:00 (7.5 working hours a day). */
export const DEFAULT_OFFICE_HOURS: readonly OfficeHoursSpan[] = Object.freeze([
  Object.freeze({ start: '09:00', end: '12:00' }),
  Object.freeze({ start: '13:30', end: '18:00' }),
]);

/** Default weekend: Saturday and Sunday (ISO weekdays 6 and 7). */
export const DEFAULT_WEEKEND: readonly number[] = Object.freeze([6, 7]);

/** The result of laying a duration onto a calendar, with enough provenance to record it on a case. */
export interface DeadlineResult {
  due: Date;
  calendarId: string;
  calendarVersion: number;
  /**
   * Override dates ('YYYY-MM-DD', ascending) the computation crossed, i.e. the calendar entries that shaped this
   * deadline. Always empty for natural time, which ignores the calendar's days.
   */
  appliedDays: string[];
}

/** Machine-readable reason of a {@link CalendarError}. */
export type CalendarErrorCode = 'OUT_OF_RANGE' | 'INVALID_CALENDAR' | 'INVALID_ARGUMENT';

/** Thrown by calendar arithmetic; `code` says which rule was broken, the message names the calendar and value. */
export class CalendarError extends Error {
  constructor(
    public readonly code: CalendarErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'CalendarError';
  }
}
