import type { DataSource } from 'typeorm';
import type { WorkCalendar } from '../../../domain/src/calendar';
import { buildChineseCalendar, chineseDaysCoverage } from '../../../domain/src/calendar/chinese-days-source';
import { withLocalDays } from '../../../domain/src/calendar/local-days';
import { OfficialYear, withNationalYears } from '../../../domain/src/calendar/national-years';
import { CalendarSnapshot, CalendarStore } from './calendar.store';

/** Id of the calendar deadlines are laid on: the key of its versions in the database, and its national data. */
export const DEFAULT_CALENDAR_ID = 'cn-mainland';

/**
 * The national data package alone: the last two years `chinese-days` covers (2025–2026 in version 1.5.7), id
 * `cn-mainland`. {@link buildDefaultCalendar} extends it.
 */
export function buildPackageCalendar(): WorkCalendar {
  const coverage = chineseDaysCoverage();
  return buildChineseCalendar({
    id: DEFAULT_CALENDAR_ID,
    version: coverage.toYear,
    fromYear: coverage.toYear - 1,
    toYear: coverage.toYear,
  });
}

/**
 * The national calendar: `chinese-days` ({@link buildPackageCalendar}), the official schedules loaded for later years,
 * and provisional years up to two years past the last official one, which hold the statutory holidays the law fixes
 * (no make-up days; docs/calendar.md). The State Council publishes next year's holidays late in the year, and a
 * deadline in early January must neither fail nor land on New Year's Day. The provisional years are named in the
 * calendar id (`cn-mainland+provisional-2027+provisional-2028`) so a case records that its deadline came from one.
 */
export function buildDefaultCalendar(officialYears: readonly OfficialYear[] = []): WorkCalendar {
  return withNationalYears(buildPackageCalendar(), officialYears);
}

/**
 * Where deadline activities get their working-day calendar. Called once per activity: implementations must be cheap
 * on repeated calls and must return the newest version, so a deadline is laid on the calendar in force when the
 * activity ran (its history then records which version that was).
 */
export interface CalendarSource {
  current(): Promise<WorkCalendar>;
}

/** A stored calendar version laid over the national data: the calendar and what the database says of it. */
export interface CalendarVersionView {
  calendar: WorkCalendar;
  snapshot: CalendarSnapshot;
}

/** A source that always answers the same calendar (tests, and the activities' default without a database). */
export function fixedCalendarSource(calendar: WorkCalendar): CalendarSource {
  return { current: () => Promise.resolve(calendar) };
}

/** A source for whatever the activity deps were given: a source as is, a calendar as a fixed source. */
export function calendarSourceOf(calendar: WorkCalendar | CalendarSource): CalendarSource {
  return 'current' in calendar && typeof calendar.current === 'function'
    ? calendar
    : fixedCalendarSource(calendar as WorkCalendar);
}

/**
 * The calendar in PostgreSQL: the national data of `chinese-days`, the official years and provisional years of a
 * stored version (`buildDefaultCalendar`, whose id names the provisional years), with that version's local days laid
 * over it; the calendar's `version` is the stored version. The newest version is cached: each call costs one indexed
 * `max(version)` query.
 */
export class PostgresCalendarSource implements CalendarSource {
  /** The stored calendar's id (the key of its versions in the database). */
  readonly calendarId: string;
  private readonly store: CalendarStore;
  private readonly base: WorkCalendar;
  private latest?: CalendarVersionView;

  constructor(
    dataSource: DataSource,
    options: {
      /** The stored calendar's id (default `cn-mainland`). */
      calendarId?: string;
      /** The national data package, before official and provisional years (default {@link buildPackageCalendar}). */
      base?: WorkCalendar;
    } = {},
  ) {
    this.store = new CalendarStore(dataSource);
    this.calendarId = options.calendarId ?? DEFAULT_CALENDAR_ID;
    this.base = options.base ?? buildPackageCalendar();
  }

  async current(): Promise<WorkCalendar> {
    return (await this.newest()).calendar;
  }

  /**
   * The newest version with its record and local days.
   * @throws Error when the calendar has no version (migration 1700000000002 creates version 1).
   */
  async newest(): Promise<CalendarVersionView> {
    const version = await this.store.latestVersion(this.calendarId);
    if (version === undefined) {
      throw new Error(`calendar ${this.calendarId} has no version in the database: run the migrations`);
    }
    if (this.latest?.snapshot.version !== version) {
      const view = await this.atVersion(version);
      // Versions are never deleted (a trigger refuses it), so the newest one read just now is still there.
      if (!view) throw new Error(`calendar ${this.calendarId} version ${version} vanished while being read`);
      this.latest = view;
    }
    return this.latest;
  }

  /** Any version, past or newest, rebuilt from the database; undefined when there is no such version. */
  async atVersion(version: number): Promise<CalendarVersionView | undefined> {
    const snapshot = await this.store.snapshot(this.calendarId, version);
    if (!snapshot) return undefined;
    const national = withNationalYears(this.base, snapshot.officialYears);
    return { calendar: withLocalDays(national, version, snapshot.localDays), snapshot };
  }
}
