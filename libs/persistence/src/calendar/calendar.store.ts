import { DataSource, EntityManager } from 'typeorm';
import type { LocalDay } from '../../../domain/src/calendar/local-days';
import { OfficialYear, sameSchedule } from '../../../domain/src/calendar/national-years';
import type { AuditActor } from '../audit/audit.types';
import { appendAudit } from '../audit/audit.writer';
import { CalendarDayEntity, CalendarVersionEntity } from '../entities/calendar.entity';

/** Who makes a calendar version, and why (both recorded on the version and in the audit log). */
export interface CalendarChange {
  /** The designer or admin, from the authenticated request; the version records their user id. */
  actor: AuditActor;
  reason: string;
}

/** A local day as stored, with the version that added it. */
export interface StoredLocalDay extends LocalDay {
  addedIn: number;
}

/** A year's official schedule as stored, with the version that loaded it. */
export interface StoredOfficialYear extends OfficialYear {
  addedIn: number;
}

/** One version of a calendar as the database holds it: its record, local days and official years valid in it. */
export interface CalendarSnapshot {
  calendarId: string;
  version: number;
  createdAt: Date;
  createdBy: string;
  reason: string;
  /** Local days of this version, by date. */
  localDays: StoredLocalDay[];
  /** Official schedules of years past the national data package, by year. */
  officialYears: StoredOfficialYear[];
}

/** Codes of {@link CalendarChangeError}. */
export type CalendarChangeErrorCode =
  /** The calendar has no version at all (the migration creates version 1). */
  | 'no-calendar'
  /** The date is already a local day of the newest version. */
  | 'duplicate-day'
  /** The date is not a local day of the newest version, so there is nothing to remove. */
  | 'unknown-day';

/** A refused calendar change; nothing was written. */
export class CalendarChangeError extends Error {
  override readonly name = 'CalendarChangeError';

  constructor(
    readonly code: CalendarChangeErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Audit actions of calendar changes (docs/auditors.md, "Actions through the API"). */
export const CALENDAR_AUDIT_ACTIONS = {
  added: 'calendar.day-added',
  removed: 'calendar.day-removed',
  yearLoaded: 'calendar.year-loaded',
} as const;

/** A local day as an audit entry shows it (`addedIn` for a removed day: the version that had added it). */
type AuditedDay = LocalDay & { addedIn?: number };

/**
 * The versioned calendar tables. Each change makes a new version in one transaction, serialised per calendar by an
 * advisory lock, with its audit entry (`calendar.day-added` / `calendar.day-removed`: the version and the day before
 * → after; `calendar.year-loaded`: the version and the year's official schedule before → after); the database's triggers guarantee that past versions never change, so any version can be rebuilt.
 */
export class CalendarStore {
  constructor(private readonly dataSource: DataSource) {}

  /** The newest version number of a calendar, or undefined when it has none. */
  async latestVersion(
    calendarId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<number | undefined> {
    const row = await manager
      .getRepository(CalendarVersionEntity)
      .createQueryBuilder('c')
      .select('max(c.version)', 'latest')
      .where('c.calendarId = :calendarId', { calendarId })
      .getRawOne<{ latest: number | null }>();
    return row?.latest ?? undefined;
  }

  /** A version with its local days, or undefined when the calendar has no such version. */
  async snapshot(
    calendarId: string,
    version: number,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<CalendarSnapshot | undefined> {
    const record = await manager.findOneBy(CalendarVersionEntity, { calendarId, version });
    if (!record) return undefined;
    const days = await manager
      .getRepository(CalendarDayEntity)
      .createQueryBuilder('d')
      .where('d.calendarId = :calendarId AND d.addedIn <= :version', { calendarId, version })
      .andWhere('(d.removedIn IS NULL OR d.removedIn > :version)', { version })
      .orderBy('d.day')
      .getMany();
    const years = (await manager.query(
      `SELECT year, days, added_in FROM calendar_official_years
       WHERE calendar_id = $1 AND added_in <= $2 AND (removed_in IS NULL OR removed_in > $2) ORDER BY year`,
      [calendarId, version],
    )) as { year: number; days: LocalDay[]; added_in: number }[];
    return {
      calendarId,
      version,
      createdAt: record.createdAt,
      createdBy: record.createdBy,
      reason: record.reason,
      localDays: days.map((day) => ({ date: day.day, working: day.working, name: day.name, addedIn: day.addedIn })),
      officialYears: years.map((row) => ({ year: row.year, days: row.days, addedIn: row.added_in })),
    };
  }

  /**
   * Adds a local day as a new version and returns that version.
   * @throws CalendarChangeError `duplicate-day` when the date is already a local day; `no-calendar`.
   */
  async addDay(calendarId: string, day: LocalDay, change: CalendarChange): Promise<CalendarSnapshot> {
    return this.change(calendarId, day.date, change, async (manager, version, live) => {
      if (live) {
        throw new CalendarChangeError(
          'duplicate-day',
          `${day.date} is already a local day (${live.name}) since version ${live.addedIn}; remove it first`,
        );
      }
      await this.insertVersion(manager, calendarId, version, change);
      await manager.insert(CalendarDayEntity, {
        calendarId,
        day: day.date,
        addedIn: version,
        working: day.working,
        name: day.name,
        removedIn: null,
      });
      return {
        action: CALENDAR_AUDIT_ACTIONS.added,
        before: null,
        after: { date: day.date, working: day.working, name: day.name },
      };
    });
  }

  /**
   * Removes a local day as a new version and returns that version; the day stays in every earlier version.
   * @throws CalendarChangeError `unknown-day` when the date is not a local day of the newest version; `no-calendar`.
   */
  async removeDay(calendarId: string, date: string, change: CalendarChange): Promise<CalendarSnapshot> {
    return this.change(calendarId, date, change, async (manager, version, live) => {
      if (!live) throw new CalendarChangeError('unknown-day', `${date} is not a local day of calendar ${calendarId}`);
      await this.insertVersion(manager, calendarId, version, change);
      await manager.update(CalendarDayEntity, { calendarId, day: date, addedIn: live.addedIn }, { removedIn: version });
      const removed: AuditedDay = { date, working: live.working, name: live.name, addedIn: live.addedIn };
      return { action: CALENDAR_AUDIT_ACTIONS.removed, before: removed, after: null };
    });
  }

  /**
   * Loads a year's official schedule as a new version and returns it: the year is no longer provisional from that
   * version on (a schedule loaded before is closed by it, a correction). Audited as `calendar.year-loaded`: the
   * version before → after and the year's schedule before (null while provisional) → after. The caller validates the
   * schedule (`officialYearProblems`); this only keeps versions consistent.
   * @returns `changed: false` and the newest version, writing nothing, when the year's live schedule lists the same
   * days already (a repeated request).
   * @throws CalendarChangeError `no-calendar`.
   */
  async loadOfficialYear(
    calendarId: string,
    schedule: OfficialYear,
    change: CalendarChange,
  ): Promise<{ snapshot: CalendarSnapshot; changed: boolean }> {
    return this.dataSource.transaction(async (manager) => {
      const latest = await this.lockLatest(manager, calendarId);
      const [live] = (await manager.query(
        `SELECT days, added_in FROM calendar_official_years WHERE calendar_id = $1 AND year = $2 AND removed_in IS NULL`,
        [calendarId, schedule.year],
      )) as { days: LocalDay[]; added_in: number }[];
      if (live && sameSchedule(live.days, schedule.days)) {
        return { snapshot: (await this.snapshot(calendarId, latest, manager))!, changed: false };
      }
      const version = latest + 1;
      await this.insertVersion(manager, calendarId, version, change);
      const days = schedule.days.map(({ date, working, name }) => ({ date, working, name }));
      if (live) {
        await manager.query(
          `UPDATE calendar_official_years SET removed_in = $3 WHERE calendar_id = $1 AND year = $2 AND removed_in IS NULL`,
          [calendarId, schedule.year, version],
        );
      }
      await manager.query(
        `INSERT INTO calendar_official_years (calendar_id, year, days, added_in) VALUES ($1, $2, $3::jsonb, $4)`,
        [calendarId, schedule.year, JSON.stringify(days), version],
      );
      const snapshot = (await this.snapshot(calendarId, version, manager))!;
      // Last: the audit chain's lock is held from here to commit.
      await appendAudit(manager, [
        {
          at: snapshot.createdAt,
          actor: change.actor,
          action: CALENDAR_AUDIT_ACTIONS.yearLoaded,
          subject: { kind: 'calendar', id: calendarId },
          before: {
            version: latest,
            year: live ? { year: schedule.year, official: true, addedIn: live.added_in, days: live.days } : null,
          },
          after: { version, year: { year: schedule.year, official: true, addedIn: version, days } },
          reason: change.reason,
          source: 'api',
        },
      ]);
      return { snapshot, changed: true };
    });
  }

  /**
   * Makes the next version with `apply` and appends its audit entry, all in one transaction: the entry names the
   * calendar, the version before → after and the local day before → after (null where there was none or is none).
   */
  private async change(
    calendarId: string,
    date: string,
    change: CalendarChange,
    apply: (
      manager: EntityManager,
      version: number,
      live: CalendarDayEntity | null,
    ) => Promise<{ action: string; before: AuditedDay | null; after: AuditedDay | null }>,
  ): Promise<CalendarSnapshot> {
    return this.dataSource.transaction(async (manager) => {
      const latest = await this.lockLatest(manager, calendarId);
      const live = await manager
        .getRepository(CalendarDayEntity)
        .createQueryBuilder('d')
        .where('d.calendarId = :calendarId AND d.day = :date AND d.removedIn IS NULL', { calendarId, date })
        .getOne();
      const day = await apply(manager, latest + 1, live);
      const snapshot = (await this.snapshot(calendarId, latest + 1, manager))!;
      // Last: the audit chain's lock is held from here to commit.
      await appendAudit(manager, [
        {
          at: snapshot.createdAt,
          actor: change.actor,
          action: day.action,
          subject: { kind: 'calendar', id: calendarId },
          before: { version: latest, day: day.before },
          after: { version: snapshot.version, day: day.after },
          reason: change.reason,
          source: 'api',
        },
      ]);
      return snapshot;
    });
  }

  /** Takes the calendar's change lock (until commit) and returns its newest version. */
  private async lockLatest(manager: EntityManager, calendarId: string): Promise<number> {
    // Serialises changes of one calendar: the next version number is read after the lock is held.
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('shaosheng:calendar:' || $1))`, [calendarId]);
    const latest = await this.latestVersion(calendarId, manager);
    if (latest === undefined) throw new CalendarChangeError('no-calendar', `calendar ${calendarId} has no version`);
    return latest;
  }

  private async insertVersion(
    manager: EntityManager,
    calendarId: string,
    version: number,
    change: CalendarChange,
  ): Promise<void> {
    await manager.insert(CalendarVersionEntity, {
      calendarId,
      version,
      createdBy: change.actor.userId,
      reason: change.reason,
    });
  }
}
