/**
 * Internal: walking office time day by day. Every day visited is checked against the calendar's coverage, so a
 * computation that reaches an uncovered year throws instead of assuming it has no holidays.
 */
import { CompiledCalendar, dayStartMs, isWorkingDayNumber, localDayOf } from './compiled-calendar';

/** Collects the override days a walk crosses, for DeadlineResult.appliedDays. */
export type DayRecorder = (day: number) => void;

const ignore: DayRecorder = () => undefined;

/**
 * The instant at which `workMs` of office time has elapsed after `fromMs`. A start outside office hours (before
 * opening, at lunch, after close, on a day off) begins at the next opening. Landing exactly on the end of a span
 * returns that end (12:00 or 18:00), not the next opening. `workMs <= 0` returns `fromMs` unchanged.
 */
export function layOfficeTime(compiled: CompiledCalendar, fromMs: number, workMs: number, record = ignore): number {
  if (workMs <= 0) return fromMs;
  let remaining = workMs;
  for (let day = localDayOf(compiled, fromMs); ; day++) {
    record(day);
    if (!isWorkingDayNumber(compiled, day)) continue;
    const base = dayStartMs(compiled, day);
    for (const span of compiled.spans) {
      const end = base + span.end;
      if (end <= fromMs) continue;
      const begin = Math.max(fromMs, base + span.start);
      if (remaining <= end - begin) return begin + remaining;
      remaining -= end - begin;
    }
  }
}

/** Milliseconds of office time in [fromMs, toMs); 0 when `toMs <= fromMs`. */
export function officeTimeBetween(compiled: CompiledCalendar, fromMs: number, toMs: number): number {
  if (toMs <= fromMs) return 0;
  let total = 0;
  // toMs is exclusive: a due instant at local midnight must not drag in (and range-check) the next day.
  const lastDay = localDayOf(compiled, toMs - 1);
  for (let day = localDayOf(compiled, fromMs); day <= lastDay; day++) {
    if (!isWorkingDayNumber(compiled, day)) continue;
    const base = dayStartMs(compiled, day);
    for (const span of compiled.spans) {
      total += Math.max(0, Math.min(toMs, base + span.end) - Math.max(fromMs, base + span.start));
    }
  }
  return total;
}

/** The first working day strictly after `day`. */
export function nextWorkingDay(compiled: CompiledCalendar, day: number, record = ignore): number {
  let next = day + 1;
  for (; ; next++) {
    record(next);
    if (isWorkingDayNumber(compiled, next)) return next;
  }
}

/** UTC epoch milliseconds of the first opening of a day (e.g. 09:00 local). */
export function openingMs(compiled: CompiledCalendar, day: number): number {
  return dayStartMs(compiled, day) + compiled.spans[0].start;
}

/** UTC epoch milliseconds of the close of office hours of a day (e.g. 18:00 local). */
export function closingMs(compiled: CompiledCalendar, day: number): number {
  return dayStartMs(compiled, day) + compiled.spans[compiled.spans.length - 1].end;
}
