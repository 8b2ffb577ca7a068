import { DataSource, EntityManager } from 'typeorm';
import type { LocalDay } from '../../../domain/src/calendar/local-days';
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

/** One version of a calendar as the database holds it: its record and the local days valid in it. */
export interface CalendarSnapshot {
  calendarId: string;
  version: number;
  createdAt: Date;
  createdBy: string;
  reason: string;
  /** Local days of this version, by date. */
  localDays: StoredLocalDay[];
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
export const CALENDAR_AUDIT_ACTIONS = { added: 'calendar.day-added', removed: 'calendar.day-removed' } as const;

/** A local day as an audit entry shows it (`addedIn` for a removed day: the version that had added it). */
type AuditedDay = LocalDay & { addedIn?: number };

/**
 * The versioned calendar tables. Each change makes a new version in one transaction, serialised per calendar by an
 * advisory lock, with its audit entry (`calendar.day-added` / `calendar.day-removed`: the version and the day before
 * → after); the database's triggers guarantee that past versions never change, so any version can be rebuilt.
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
    return {
      calendarId,
      version,
      createdAt: record.createdAt,
      createdBy: record.createdBy,
      reason: record.reason,
      localDays: days.map((day) => ({ date: day.day, working: day.working, name: day.name, addedIn: day.addedIn })),
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
      // Serialises changes of one calendar: the next version number is read after the lock is held.
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('shaosheng:calendar:' || $1))`, [calendarId]);
      const latest = await this.latestVersion(calendarId, manager);
      if (latest === undefined) throw new CalendarChangeError('no-calendar', `calendar ${calendarId} has no version`);
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
