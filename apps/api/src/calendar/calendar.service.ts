import { Injectable, NotFoundException } from '@nestjs/common';
import {
  addDuration,
  CalendarError,
  fractionPoint,
  parseDuration,
  WorkCalendar,
} from '../../../../libs/domain/src/calendar';
import { LocalDay, localDayProblem } from '../../../../libs/domain/src/calendar/local-days';
import type { Actor } from '../../../../libs/domain/src/lifecycle/lifecycle.types';
import { CalendarChangeError, CalendarStore } from '../../../../libs/persistence/src/calendar/calendar.store';
import { CalendarVersionView, PostgresCalendarSource } from '../../../../activities/calendar-source';
import { ApiError, ApiErrorCode } from '../common/api-error';
import { CalendarView, DeadlineView, toCalendarView } from './calendar.dto';

/** A deadline question: from which instant, how long, and optionally where the reminder falls. */
export interface DeadlineQuestion {
  from: string;
  duration: string;
  reminderFraction?: number;
}

/**
 * The working-day calendar over HTTP: the current and past versions, deadline answers under any of them, and local
 * days added or removed as new versions. Reads go through the same {@link PostgresCalendarSource} the worker uses,
 * so the API answers exactly what a deadline activity would compute.
 */
@Injectable()
export class CalendarService {
  constructor(
    private readonly source: PostgresCalendarSource,
    private readonly store: CalendarStore,
  ) {}

  async current(): Promise<CalendarView> {
    return toCalendarView(await this.source.newest());
  }

  /** @throws NotFoundException when the calendar has no such version. */
  async version(version: number): Promise<CalendarView> {
    return toCalendarView(await this.versionView(version));
  }

  /** The deadline under the current version, or under `version` when given. */
  async deadline(question: DeadlineQuestion, version?: number): Promise<DeadlineView> {
    const { calendar } = version === undefined ? await this.source.newest() : await this.versionView(version);
    return computeDeadline(calendar, question);
  }

  /**
   * Adds a local day as a new version, made by `actor`, audited as `calendar.day-added` in the same transaction.
   * @throws ApiError ValidationFailed (400) naming the field and rule: outside the covered range, already a local
   * day, or no effect (the day is already off / already working). Nothing is written then.
   */
  async addDay(day: LocalDay, reason: string, actor: Actor): Promise<CalendarView> {
    const { calendar } = await this.source.newest();
    const problem = localDayProblem(calendar, day);
    if (problem) throw invalid(problem.field, problem.rule, problem.message);
    try {
      const snapshot = await this.store.addDay(this.source.calendarId, day, { actor, reason });
      return this.version(snapshot.version);
    } catch (error) {
      // A concurrent request added the same date between the check above and the locked write.
      if (error instanceof CalendarChangeError && error.code === 'duplicate-day') {
        throw invalid('date', 'duplicate-day', error.message);
      }
      throw error;
    }
  }

  /**
   * Removes a local day as a new version, made by `actor`, audited as `calendar.day-removed` in the same transaction;
   * earlier versions keep it.
   * @throws NotFoundException when the date is not a local day of the current version.
   */
  async removeDay(date: string, reason: string, actor: Actor): Promise<CalendarView> {
    try {
      const snapshot = await this.store.removeDay(this.source.calendarId, date, { actor, reason });
      return this.version(snapshot.version);
    } catch (error) {
      if (error instanceof CalendarChangeError && error.code === 'unknown-day')
        throw new NotFoundException(error.message);
      throw error;
    }
  }

  private async versionView(version: number): Promise<CalendarVersionView> {
    const view = await this.source.atVersion(version);
    if (!view) throw new NotFoundException(`calendar ${this.source.calendarId} has no version ${version}`);
    return view;
  }
}

/**
 * Lays a duration on a calendar from an instant, as the `stampDeadline` activity does.
 * @throws ApiError ValidationFailed (400) when the computation leaves the calendar's covered range.
 */
export function computeDeadline(calendar: WorkCalendar, question: DeadlineQuestion): DeadlineView {
  const from = new Date(question.from);
  try {
    const result = addDuration(calendar, from, question.duration);
    const view: DeadlineView = {
      due: result.due.toISOString(),
      calendarId: result.calendarId,
      calendarVersion: result.calendarVersion,
      appliedDays: result.appliedDays,
    };
    if (question.reminderFraction !== undefined) {
      const kind = parseDuration(question.duration).kind;
      view.reminderAt = fractionPoint(calendar, kind, from, result.due, question.reminderFraction).toISOString();
    }
    return view;
  } catch (error) {
    if (error instanceof CalendarError && error.code === 'OUT_OF_RANGE') {
      throw invalid('from', 'out-of-range', error.message);
    }
    throw error;
  }
}

function invalid(field: string, rule: string, message: string): ApiError {
  return new ApiError(ApiErrorCode.ValidationFailed, 'The request is invalid', [{ field, rule, message }]);
}
