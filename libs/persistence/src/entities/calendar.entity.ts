import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One version of a working-day calendar: who made it, when and why. Versions count 1, 2, 3 … per calendar and are
 * never changed or deleted (a trigger refuses it); each later version adds or removes one local day.
 */
@Entity({ name: 'calendars' })
export class CalendarVersionEntity {
  @PrimaryColumn({ name: 'calendar_id', type: 'text' })
  calendarId: string;

  @PrimaryColumn({ type: 'integer' })
  version: number;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  /** The user id of the designer or admin who made the version (`system` for version 1). */
  @Column({ name: 'created_by', type: 'text' })
  createdBy: string;

  @Column({ type: 'text' })
  reason: string;
}

/**
 * A local day off or on that an operator laid over the national data, valid from version `addedIn` up to (not
 * including) `removedIn`. Rows are only ever added, or closed by the newest version.
 */
@Entity({ name: 'calendar_days' })
export class CalendarDayEntity {
  @PrimaryColumn({ name: 'calendar_id', type: 'text' })
  calendarId: string;

  /** Local date 'YYYY-MM-DD'. */
  @PrimaryColumn({ type: 'date' })
  day: string;

  @PrimaryColumn({ name: 'added_in', type: 'integer' })
  addedIn: number;

  @Column({ type: 'boolean' })
  working: boolean;

  @Column({ type: 'text' })
  name: string;

  @Column({ name: 'removed_in', type: 'integer', nullable: true })
  removedIn: number | null;
}
