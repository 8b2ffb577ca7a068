import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  addDuration,
  CalendarError,
  fractionPoint,
  parseDuration,
  WorkCalendar,
} from '../../../../libs/domain/src/calendar';
import { affectedDeadlines, stampedVersions } from '../../../../libs/domain/src/calendar/affected-deadlines';
import { LocalDay, localDayProblem } from '../../../../libs/domain/src/calendar/local-days';
import { officialYearProblems } from '../../../../libs/domain/src/calendar/national-years';
import type { Actor } from '../../../../libs/domain/src/lifecycle/lifecycle.types';
import { CalendarChangeError, CalendarStore } from '../../../../libs/persistence/src/calendar/calendar.store';
import { openCaseDeadlines } from '../../../../libs/persistence/src/calendar/open-case-deadlines';
import { CalendarVersionView, PostgresCalendarSource } from '../../../../libs/persistence/src/calendar/calendar-source';
import { ApiError, ApiErrorCode } from '../common/api-error';
import { AffectedCasesView, RecomputedCaseView, RecomputeOpenCasesView } from './calendar-years.dto';
import { CaseActionService } from '../cases/case-action.service';
import { CalendarView, CalendarYearView, DeadlineView, toCalendarView } from './calendar.dto';

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
    private readonly dataSource: DataSource,
    private readonly caseActions: CaseActionService,
  ) {}

  /**
   * Moves the open cases whose running deadlines `version` changes onto it (it must be the current version): each
   * case's workflow recomputes its deadlines through the calendar activity and records who, when and why (the
   * `recalendarCase` Update, audited with the case's events). A case that closed or was refused meanwhile is skipped
   * with the reason; nothing else is touched.
   * @throws ConflictException (409) when `version` is not the current version; NotFoundException for no version.
   */
  async recomputeOpenCases(version: number, reason: string, actor: Actor): Promise<RecomputeOpenCasesView> {
    const current = await this.source.newest();
    if (version !== current.snapshot.version) {
      await this.versionView(version);
      throw new ConflictException(
        `version ${version} is not the current calendar version (${current.snapshot.version}): only the version in force can be applied`,
      );
    }
    const affected = await this.affectedCases(version);
    const cases: RecomputedCaseView[] = [];
    for (const caseNo of affected.caseNos) {
      try {
        await this.caseActions.act(caseNo, { type: 'recalendar', reason }, actor);
        cases.push({ caseNo, outcome: 'moved' });
      } catch (error) {
        cases.push({ caseNo, outcome: 'skipped', reason: (error as Error).message });
      }
    }
    return { version, cases };
  }

  async current(): Promise<CalendarView> {
    return toCalendarView(await this.source.newest());
  }

  /** @throws NotFoundException when the calendar has no such version. */
  async version(version: number): Promise<CalendarView> {
    return toCalendarView(await this.versionView(version));
  }

  /**
   * Every day of `year` the current version overrides (holidays, make-up days, provisional and local days, each with
   * its source), for a year view; days the weekday / weekend rule decides are not listed.
   */
  async yearDays(year: number): Promise<CalendarYearView> {
    const { calendar } = await this.source.newest();
    const prefix = `${year}-`;
    return {
      calendarId: calendar.id,
      version: calendar.version,
      year,
      coversFrom: calendar.coversFrom,
      coversTo: calendar.coversTo,
      weekend: calendar.weekend,
      days: calendar.days
        .filter((day) => day.date.startsWith(prefix))
        .map(({ date, working, name, source }) => ({ date, working, name, source }))
        .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0)),
    };
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

  /**
   * Loads a year's official schedule (days off and make-up working days) as a new version, made by `actor`, audited
   * as `calendar.year-loaded` in the same transaction: the year is no longer provisional from that version on. A
   * repeated request with the same days makes no version and answers the current one.
   * @throws ApiError ValidationFailed (400) naming every problem at once (`officialYearProblems`): a year that is
   * neither provisional nor official, a date outside the year or listed twice, a make-up day on a weekday, a
   * statutory holiday that is not a day off. Nothing is written then.
   */
  async loadOfficialYear(year: number, days: LocalDay[], reason: string, actor: Actor): Promise<CalendarView> {
    const { calendar } = await this.source.newest();
    const problems = officialYearProblems(calendar, { year, days });
    if (problems.length > 0) {
      throw new ApiError(ApiErrorCode.ValidationFailed, 'The request is invalid', problems);
    }
    const { snapshot } = await this.store.loadOfficialYear(this.source.calendarId, { year, days }, { actor, reason });
    return this.version(snapshot.version);
  }

  /**
   * The open cases' running deadlines that `version` moves, against the version each deadline was laid on (read-only:
   * the case workflow recomputes them). Deadlines already laid on `version` or later, already passed, in natural time,
   * or of suspended cases are not listed.
   * @throws NotFoundException when the calendar has no such version.
   */
  async affectedCases(version: number, now = new Date()): Promise<AffectedCasesView> {
    const { calendar } = await this.versionView(version);
    const cases = await openCaseDeadlines(this.dataSource);
    const stampedOn = new Map<number, WorkCalendar>();
    for (const stamped of stampedVersions(cases)) {
      const view = stamped < version ? await this.source.atVersion(stamped) : undefined;
      if (view) stampedOn.set(stamped, view.calendar);
    }
    const result = affectedDeadlines(cases, calendar, stampedOn, now);
    return {
      calendarId: calendar.id,
      version,
      at: now.toISOString(),
      caseNos: [...new Set(result.changed.map((deadline) => deadline.caseNo))],
      ...result,
    };
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
