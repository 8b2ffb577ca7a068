/**
 * Which running deadlines a new calendar version moves. Pure: the caller reads the open cases and the calendar
 * versions their deadlines were laid on, and passes `now`. Recomputing them is the case workflow's business (an
 * Update that calls {@link recomputeDeadline} through an activity); this only says which cases and deadlines change.
 */
import { addDuration, Instant, remainingWorkingTime, resumeDeadline } from './calendar';
import { CalendarError, DeadlineResult, WorkCalendar } from './calendar.types';
import { DurationFormatError, parseDuration } from './duration';

/** A deadline as the case projection records it (`cases.deadlines`, one entry per kind). */
export interface StampedDeadline {
  kind: string;
  /** Duration text, e.g. `7WD`. */
  duration: string;
  /** ISO instant the clock started (or restarted, after a suspension). */
  from: string;
  /** ISO instant it expires. */
  due: string;
  calendarId: string;
  calendarVersion: number;
}

/** An open case and its running deadlines, as `cases.deadlines` holds them: by kind. */
export interface CaseDeadlines {
  caseNo: string;
  deadlines: Record<string, unknown>;
}

/** A deadline the new version moves. */
export interface ChangedDeadline {
  caseNo: string;
  kind: string;
  duration: string;
  from: string;
  /** The version it was laid on, and its due instant there. */
  calendarVersion: number;
  due: string;
  /** The version it is recomputed on, and its due instant there. */
  newCalendarVersion: number;
  newDue: string;
  /** Override dates the recomputation crossed (see DeadlineResult). */
  newAppliedDays: string[];
}

/** A deadline that could not be checked, and why (e.g. its version is unknown, or it runs past the covered range). */
export interface UncheckedDeadline {
  caseNo: string;
  kind: string;
  calendarVersion?: number;
  reason: string;
}

/** What {@link affectedDeadlines} found: deadlines that change, and those it could not judge. */
export interface AffectedDeadlines {
  changed: ChangedDeadline[];
  unchecked: UncheckedDeadline[];
}

/**
 * A running deadline laid again on `current`, as if the clock had run on it from the start: a deadline that
 * `addDuration(stampedOn, from, duration)` gives is recomputed the same way on `current`; one that it does not give
 * (restarted after a suspension with the time it still owed) keeps the office time it owed on `stampedOn` from `from`
 * and lays it on `current`. Natural time does not depend on the calendar and comes back unchanged.
 * @throws CalendarError OUT_OF_RANGE when either calendar does not cover the span; DurationFormatError.
 */
export function recomputeDeadline(
  stampedOn: WorkCalendar,
  current: WorkCalendar,
  deadline: { duration: string; from: Instant | string; due: Instant | string },
): DeadlineResult {
  const from = new Date(deadline.from);
  const due = new Date(deadline.due);
  const kind = parseDuration(deadline.duration).kind;
  if (kind === 'natural') return addDuration(current, from, deadline.duration);
  if (addDuration(stampedOn, from, deadline.duration).due.getTime() === due.getTime()) {
    return addDuration(current, from, deadline.duration);
  }
  return resumeDeadline(current, from, remainingWorkingTime(stampedOn, from, due));
}

/**
 * The running deadlines of `cases` whose due instant changes on `calendar`, against the version each was laid on
 * (`stampedOn`, by version number). Only deadlines that are still running (`due` after `now`), laid on an earlier
 * version of the same calendar (the id before the first `+`), in working days or hours are considered; natural time
 * never moves. Sorted by case number, then kind.
 */
export function affectedDeadlines(
  cases: readonly CaseDeadlines[],
  calendar: WorkCalendar,
  stampedOn: ReadonlyMap<number, WorkCalendar>,
  now: Instant | string,
): AffectedDeadlines {
  const result: AffectedDeadlines = { changed: [], unchecked: [] };
  const family = calendarFamily(calendar.id);
  const nowMs = new Date(now).getTime();
  for (const { caseNo, deadlines } of cases) {
    for (const [kind, value] of Object.entries(deadlines ?? {})) {
      const entry = asStampedDeadline(value);
      if (!entry) {
        result.unchecked.push({ caseNo, kind, reason: 'not a deadline entry (kind, duration, from, due, calendar)' });
        continue;
      }
      if (Date.parse(entry.due) <= nowMs || entry.calendarVersion >= calendar.version) continue;
      if (calendarFamily(entry.calendarId) !== family) {
        result.unchecked.push({
          caseNo,
          kind,
          calendarVersion: entry.calendarVersion,
          reason: `laid on calendar ${entry.calendarId}, not on ${family}`,
        });
        continue;
      }
      const old = stampedOn.get(entry.calendarVersion);
      if (!old) {
        result.unchecked.push({
          caseNo,
          kind,
          calendarVersion: entry.calendarVersion,
          reason: `calendar version ${entry.calendarVersion} is unknown`,
        });
        continue;
      }
      try {
        if (parseDuration(entry.duration).kind === 'natural') continue;
        const now = recomputeDeadline(old, calendar, entry);
        if (now.due.getTime() === Date.parse(entry.due)) continue;
        result.changed.push({
          caseNo,
          kind,
          duration: entry.duration,
          from: entry.from,
          calendarVersion: entry.calendarVersion,
          due: new Date(entry.due).toISOString(),
          newCalendarVersion: calendar.version,
          newDue: now.due.toISOString(),
          newAppliedDays: now.appliedDays,
        });
      } catch (error) {
        if (!(error instanceof CalendarError || error instanceof DurationFormatError)) throw error;
        result.unchecked.push({ caseNo, kind, calendarVersion: entry.calendarVersion, reason: error.message });
      }
    }
  }
  const order = (a: { caseNo: string; kind: string }, b: { caseNo: string; kind: string }) =>
    a.caseNo === b.caseNo ? (a.kind < b.kind ? -1 : 1) : a.caseNo < b.caseNo ? -1 : 1;
  result.changed.sort(order);
  result.unchecked.sort(order);
  return result;
}

/** The versions a set of cases' running deadlines were laid on (to load before calling {@link affectedDeadlines}). */
export function stampedVersions(cases: readonly CaseDeadlines[]): number[] {
  const versions = new Set<number>();
  for (const { deadlines } of cases) {
    for (const value of Object.values(deadlines ?? {})) {
      const entry = asStampedDeadline(value);
      if (entry) versions.add(entry.calendarVersion);
    }
  }
  return [...versions].sort((a, b) => a - b);
}

/** `cn-mainland` of `cn-mainland+provisional-2027+provisional-2028`: the stored calendar the id belongs to. */
function calendarFamily(id: string): string {
  return id.split('+')[0];
}

function asStampedDeadline(value: unknown): StampedDeadline | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const entry = value as Partial<StampedDeadline>;
  const ok =
    typeof entry.duration === 'string' &&
    typeof entry.from === 'string' &&
    Number.isFinite(Date.parse(entry.from)) &&
    typeof entry.due === 'string' &&
    Number.isFinite(Date.parse(entry.due)) &&
    typeof entry.calendarId === 'string' &&
    Number.isInteger(entry.calendarVersion);
  return ok ? (entry as StampedDeadline) : undefined;
}
