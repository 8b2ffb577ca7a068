/**
 * Deadline arithmetic on a working-day calendar. Pure and deterministic: no clocks, no Intl, no Node built-ins, so
 * workflows can call it. Instants are UTC (Date or epoch ms); local dates and office hours use the calendar's fixed
 * UTC offset. Every function that reads the calendar's days throws CalendarError OUT_OF_RANGE rather than guess
 * about a date outside `coversFrom`..`coversTo`.
 */
import { CalendarError, DeadlineResult, WorkCalendar } from './calendar.types';
import { CompiledCalendar, compileCalendar, isWorkingDayNumber, localDayOf, toEpochMs } from './compiled-calendar';
import { Duration, DurationKind, formatDuration, parseDuration } from './duration';
import { MS_PER_DAY, MS_PER_MINUTE, formatDayNumber, parseLocalDate } from './local-time';
import { DayRecorder, closingMs, layOfficeTime, nextWorkingDay, officeTimeBetween, openingMs } from './working-time';

/** An instant: a Date or UTC epoch milliseconds. */
export type Instant = Date | number;

/**
 * Whether a local date ('YYYY-MM-DD') is a working day: its override in `days` if any, else not a weekend day.
 * @throws CalendarError INVALID_ARGUMENT for a malformed date, OUT_OF_RANGE outside the covered range.
 */
export function isWorkingDay(calendar: WorkCalendar, localDate: string): boolean {
  const day = parseLocalDate(localDate);
  if (day === undefined) {
    throw new CalendarError('INVALID_ARGUMENT', `localDate must be 'YYYY-MM-DD', got ${JSON.stringify(localDate)}`);
  }
  return isWorkingDayNumber(compileCalendar(calendar), day);
}

/** The local date ('YYYY-MM-DD') an instant falls on in the calendar's offset. Needs no coverage. */
export function toLocalDate(calendar: WorkCalendar, instant: Instant): string {
  const compiled = compileCalendar(calendar);
  return formatDayNumber(localDayOf(compiled, toEpochMs(instant, 'instant')));
}

/** An instant as local ISO-8601 text with the calendar's offset, e.g. '2025-10-16T18:00:00+08:00' (for display). */
export function toLocalIsoString(calendar: WorkCalendar, instant: Instant): string {
  const offset = compileCalendar(calendar).calendar.utcOffsetMinutes;
  const local = new Date(toEpochMs(instant, 'instant') + offset * MS_PER_MINUTE).toISOString().slice(0, 19);
  const abs = Math.abs(offset);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${local}${offset < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/**
 * The deadline a duration gives from a start instant.
 * - natural (`PT2H`, `P1D`): start + duration around the clock; the calendar's days are not consulted, so no
 *   coverage check and `appliedDays` is empty.
 * - working days (`7WD`): the arrival day never counts (次日起算), even when the start is before opening; the
 *   deadline is the close of office hours (18:00) on the Nth working day after the start's local date.
 * - working hours (`4WH`): consumed inside office hours only; a start before opening, at lunch, after close or on a
 *   day off counts from the next opening. A deadline landing exactly at 12:00 or 18:00 stays there.
 * `appliedDays` lists the override dates crossed (for working days: after the arrival day up to the due day).
 * @throws DurationFormatError for a bad duration; CalendarError OUT_OF_RANGE past the covered range.
 */
export function addDuration(calendar: WorkCalendar, start: Instant, duration: Duration | string): DeadlineResult {
  const compiled = compileCalendar(calendar);
  const startMs = toEpochMs(start, 'start');
  const parsed = toDuration(duration);
  const { applied, record } = recorder(compiled);
  let due: number;
  if (parsed.kind === 'natural') {
    due = startMs + parsed.ms;
  } else if (parsed.kind === 'workingHours') {
    due = layOfficeTime(compiled, startMs, parsed.ms, record);
  } else {
    let day = localDayOf(compiled, startMs);
    for (let counted = 0; counted < parsed.days; counted++) day = nextWorkingDay(compiled, day, record);
    due = closingMs(compiled, day);
  }
  return result(compiled, due, applied);
}

/**
 * Working milliseconds of office time between `from` (inclusive) and `due` (exclusive); 0 when `due <= from`.
 * Used when a case is suspended: this is what the clock still owes on resume.
 * @throws CalendarError OUT_OF_RANGE when the span leaves the covered range.
 */
export function remainingWorkingTime(calendar: WorkCalendar, from: Instant, due: Instant): number {
  return officeTimeBetween(compileCalendar(calendar), toEpochMs(from, 'from'), toEpochMs(due, 'due'));
}

/**
 * Lays `remainingWorkingMs` of office time onto the calendar from the resume instant (same rules as working hours,
 * so a resume at lunch or on a weekend starts at the next opening). A remaining time of 0 gives `resumeAt`
 * itself: a case suspended after its deadline is still overdue when it resumes. A working-days deadline resumed
 * at another time of day than it was suspended ends at that time of day, not at 18:00: office time is preserved
 * exactly.
 * @throws CalendarError INVALID_ARGUMENT for a negative remaining time; OUT_OF_RANGE past the covered range.
 */
export function resumeDeadline(calendar: WorkCalendar, resumeAt: Instant, remainingWorkingMs: number): DeadlineResult {
  const compiled = compileCalendar(calendar);
  const resumeMs = toEpochMs(resumeAt, 'resumeAt');
  requireNonNegative(remainingWorkingMs, 'remainingWorkingMs');
  const { applied, record } = recorder(compiled);
  return result(compiled, layOfficeTime(compiled, resumeMs, remainingWorkingMs, record), applied);
}

/**
 * What a deadline of the given kind still owes when its clock stops at `at` (suspension): natural milliseconds
 * (`due - at`) for natural time, working milliseconds ({@link remainingWorkingTime}) for working days and hours.
 * Never negative. Store it with the case and pass it to {@link resumeClock}.
 */
export function pauseClock(calendar: WorkCalendar, kind: DurationKind, at: Instant, due: Instant): number {
  if (kind !== 'natural') return remainingWorkingTime(calendar, at, due);
  compileCalendar(calendar);
  return Math.max(0, toEpochMs(due, 'due') - toEpochMs(at, 'at'));
}

/**
 * Restarts a stopped clock: natural time continues around the clock (`resumeAt + remainingMs`, `appliedDays`
 * empty); working days and hours are laid onto office time by {@link resumeDeadline}.
 */
export function resumeClock(
  calendar: WorkCalendar,
  kind: DurationKind,
  resumeAt: Instant,
  remainingMs: number,
): DeadlineResult {
  if (kind !== 'natural') return resumeDeadline(calendar, resumeAt, remainingMs);
  const compiled = compileCalendar(calendar);
  requireNonNegative(remainingMs, 'remainingMs');
  return result(compiled, toEpochMs(resumeAt, 'resumeAt') + remainingMs, new Set());
}

/**
 * The instant at `fraction` (0..1) of the way from `start` to `due`, measured in the deadline's own kind of time,
 * e.g. 0.8 for the 80 % reminder. Natural: linear in clock time. Working hours: in office time from `start`.
 * Working days: in office time from the opening of the first counted day (the working day after the arrival day),
 * so 80 % of `7WD` is 5.6 counted days in; if that opening is not before `due` (e.g. a resumed deadline), from
 * `start`. A point landing exactly on a span end stays at 12:00 or 18:00. Milliseconds are rounded.
 * @throws CalendarError INVALID_ARGUMENT for a fraction outside 0..1; OUT_OF_RANGE past the covered range.
 */
export function fractionPoint(
  calendar: WorkCalendar,
  kind: DurationKind,
  start: Instant,
  due: Instant,
  fraction: number,
): Date {
  const compiled = compileCalendar(calendar);
  let startMs = toEpochMs(start, 'start');
  const dueMs = toEpochMs(due, 'due');
  if (!(fraction >= 0 && fraction <= 1)) {
    throw new CalendarError('INVALID_ARGUMENT', `fraction must be between 0 and 1, got ${fraction}`);
  }
  if (kind === 'natural') return new Date(startMs + Math.round(Math.max(0, dueMs - startMs) * fraction));
  if (kind === 'workingDays') {
    const countStart = openingMs(compiled, nextWorkingDay(compiled, localDayOf(compiled, startMs)));
    if (countStart < dueMs) startMs = countStart;
  }
  const total = officeTimeBetween(compiled, startMs, dueMs);
  return new Date(layOfficeTime(compiled, startMs, Math.round(total * fraction)));
}

/**
 * The opening (e.g. 09:00 local) of the first working day after the local date of `instant`, whatever the time
 * of day; used for the "working day after expiry" reminder and the call-back. A make-up Saturday qualifies.
 * @throws CalendarError OUT_OF_RANGE when no working day is found inside the covered range.
 */
export function nextWorkingDayAfter(calendar: WorkCalendar, instant: Instant): Date {
  const compiled = compileCalendar(calendar);
  const day = localDayOf(compiled, toEpochMs(instant, 'instant'));
  return new Date(openingMs(compiled, nextWorkingDay(compiled, day)));
}

function toDuration(duration: Duration | string): Duration {
  // A Duration object may come from JSON: the round trip through its text form validates kind, sign and size.
  return parseDuration(typeof duration === 'string' ? duration : formatDuration(duration));
}

function recorder(compiled: CompiledCalendar): { applied: Set<number>; record: DayRecorder } {
  const applied = new Set<number>();
  return { applied, record: (day) => (compiled.overrides.has(day) ? void applied.add(day) : undefined) };
}

function result(compiled: CompiledCalendar, dueMs: number, applied: Set<number>): DeadlineResult {
  const { calendar } = compiled;
  if (!Number.isFinite(new Date(dueMs).getTime())) {
    throw new CalendarError('INVALID_ARGUMENT', `deadline is outside the range of Date (${dueMs / MS_PER_DAY} days)`);
  }
  const appliedDays = [...applied].sort((a, b) => a - b).map(formatDayNumber);
  return { due: new Date(dueMs), calendarId: calendar.id, calendarVersion: calendar.version, appliedDays };
}

function requireNonNegative(value: number, what: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new CalendarError('INVALID_ARGUMENT', `${what} must be a non-negative number of milliseconds, got ${value}`);
  }
}
