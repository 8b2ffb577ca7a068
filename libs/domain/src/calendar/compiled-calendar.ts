/**
 * Internal: a validated, indexed view of a WorkCalendar, rebuilt on every public call. Calendars hold a few hundred
 * entries at most, so rebuilding is cheap and avoids a cache that a mutated calendar object could make stale.
 */
import { CalendarDay, CalendarError, WorkCalendar } from './calendar.types';
import { MS_PER_DAY, MS_PER_MINUTE, formatDayNumber, isoWeekday, parseClock, parseLocalDate } from './local-time';

/** An office span as milliseconds after local midnight, `start` inclusive, `end` exclusive. */
export interface CompiledSpan {
  start: number;
  end: number;
}

export interface CompiledCalendar {
  calendar: WorkCalendar;
  offsetMs: number;
  spans: CompiledSpan[];
  weekend: ReadonlySet<number>;
  overrides: ReadonlyMap<number, CalendarDay>;
  firstDay: number;
  lastDay: number;
}

/** 'calendar "beijing" version 3', for error messages. */
export function calendarLabel(calendar: WorkCalendar): string {
  return `calendar ${JSON.stringify(calendar.id)} version ${calendar.version}`;
}

/** Validates a calendar and indexes it. @throws CalendarError INVALID_CALENDAR naming the bad field. */
export function compileCalendar(calendar: WorkCalendar): CompiledCalendar {
  const fail = (detail: string): never => {
    throw new CalendarError('INVALID_CALENDAR', `Invalid ${calendarLabel(calendar)}: ${detail}`);
  };
  if (typeof calendar.id !== 'string' || calendar.id === '') fail('id must be a non-empty string');
  if (!Number.isInteger(calendar.version) || calendar.version < 0) fail('version must be a non-negative integer');
  const offset = calendar.utcOffsetMinutes;
  if (!Number.isInteger(offset) || Math.abs(offset) > 14 * 60) fail('utcOffsetMinutes must be an integer in ±840');

  const spans: CompiledSpan[] = [];
  for (const span of calendar.officeHours ?? []) {
    const start = parseClock(span.start);
    const end = parseClock(span.end);
    if (start === undefined || end === undefined || start >= end) {
      fail(`office hours ${JSON.stringify(span)} must be 'HH:MM' with start before end`);
    }
    const previous = spans[spans.length - 1];
    if (previous && start! * MS_PER_MINUTE < previous.end) fail('office hours must be sorted and must not overlap');
    spans.push({ start: start! * MS_PER_MINUTE, end: end! * MS_PER_MINUTE });
  }
  if (spans.length === 0) fail('officeHours must list at least one span');

  const weekend = new Set(calendar.weekend ?? []);
  if ([...weekend].some((day) => !Number.isInteger(day) || day < 1 || day > 7)) {
    fail('weekend must list ISO weekdays 1 (Monday) to 7 (Sunday)');
  }

  const overrides = new Map<number, CalendarDay>();
  for (const entry of calendar.days ?? []) {
    const day = parseLocalDate(entry.date);
    if (day === undefined) fail(`day ${JSON.stringify(entry.date)} is not a 'YYYY-MM-DD' date`);
    if (typeof entry.working !== 'boolean') fail(`day ${entry.date} needs a boolean 'working'`);
    if (overrides.has(day!)) fail(`day ${entry.date} is listed twice`);
    overrides.set(day!, entry);
  }

  const firstDay = parseLocalDate(calendar.coversFrom);
  const lastDay = parseLocalDate(calendar.coversTo);
  if (firstDay === undefined || lastDay === undefined || firstDay > lastDay) {
    fail(`coversFrom/coversTo must be 'YYYY-MM-DD' dates in order, got ${calendar.coversFrom}..${calendar.coversTo}`);
  }
  return {
    calendar,
    offsetMs: offset * MS_PER_MINUTE,
    spans,
    weekend,
    overrides,
    firstDay: firstDay!,
    lastDay: lastDay!,
  };
}

/** Day number of the local date an instant falls on. */
export function localDayOf(compiled: CompiledCalendar, ms: number): number {
  return Math.floor((ms + compiled.offsetMs) / MS_PER_DAY);
}

/** UTC epoch milliseconds of local midnight starting a day. */
export function dayStartMs(compiled: CompiledCalendar, day: number): number {
  return day * MS_PER_DAY - compiled.offsetMs;
}

/** @throws CalendarError OUT_OF_RANGE naming the calendar, its coverage and the date. */
export function requireCovered(compiled: CompiledCalendar, day: number): void {
  if (day >= compiled.firstDay && day <= compiled.lastDay) return;
  const { calendar } = compiled;
  throw new CalendarError(
    'OUT_OF_RANGE',
    `${calendarLabel(calendar)} covers ${calendar.coversFrom} to ${calendar.coversTo} only; cannot compute ` +
      `${formatDayNumber(day)} (publish a calendar version with that year's holidays first)`,
  );
}

/** Whether a day is a working day: its override if any, else the weekend rule. Checks coverage first. */
export function isWorkingDayNumber(compiled: CompiledCalendar, day: number): boolean {
  requireCovered(compiled, day);
  const override = compiled.overrides.get(day);
  return override ? override.working : !compiled.weekend.has(isoWeekday(day));
}

/** Epoch milliseconds of a Date or number. @throws CalendarError INVALID_ARGUMENT when not a valid instant. */
export function toEpochMs(instant: Date | number, what: string): number {
  const ms = instant instanceof Date ? instant.getTime() : instant;
  if (typeof ms !== 'number' || !Number.isFinite(ms)) {
    throw new CalendarError('INVALID_ARGUMENT', `${what} must be a valid Date or epoch milliseconds, got ${instant}`);
  }
  return ms;
}
