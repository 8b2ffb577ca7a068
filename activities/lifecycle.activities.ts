import { ApplicationFailure, log } from '@temporalio/activity';
import { DataSource, EntityManager } from 'typeorm';
import {
  addDuration,
  fractionPoint,
  parseDuration,
  pauseClock,
  resumeClock,
  WorkCalendar,
} from '../libs/domain/src/calendar';
import type { CaseFacts } from '../libs/domain/src/case/case.types';
import type {
  CaseNotification,
  DeadlineEntry,
  DeadlineKind,
  DispatchPlan,
  LifecycleEvent,
  OpenTask,
  PausedDeadline,
} from '../libs/domain/src/lifecycle';
import { notificationsOf, OUTBOX_CHANNEL } from '../libs/domain/src/lifecycle';
import { LadderError, resolveRungUnits, serviceCentreFor } from '../libs/domain/src/lifecycle/ladder';
import type { LifecycleRules } from '../libs/domain/src/lifecycle/lifecycle.types';
import { committeeFor, OrgError, OrgTree } from '../libs/domain/src/org';
import { DispatchPlace, evaluateRoute, RoutingCatalogue } from '../libs/domain/src/routing';
import { appendAudit } from '../libs/persistence/src/audit/audit.writer';
import { loadOrgTree } from '../libs/persistence/src/org/org.store';
import { auditEntriesOfCaseEvents } from '../libs/persistence/src/audit/case-event-audit';
import { buildDefaultCalendar, CalendarSource, calendarSourceOf, PostgresCalendarSource } from './calendar-source';
import { recomputeDeadline } from '../libs/domain/src/calendar/affected-deadlines';
import type { CatalogueSource } from './catalogue-source';

// The default calendar moved next to the calendar sources; re-exported for existing importers.
export { buildDefaultCalendar, DEFAULT_CALENDAR_ID } from './calendar-source';

export interface LifecycleActivityDeps {
  dataSource: DataSource;
  /**
   * Where deadlines get their calendar: a source asked on every deadline activity (the worker passes the
   * PostgreSQL one), or a fixed calendar (tests). Default: the national calendar, fixed.
   */
  calendar?: WorkCalendar | CalendarSource;
  /**
   * The org tree as stored now: the worker passes a cached source; default: read from `dataSource` on every call.
   * Workflow tests pass a fixed tree.
   */
  trees?: () => Promise<OrgTree>;
  /** The catalogue of cases whose version has none stored (tests). Without it such a case cannot be routed. */
  catalogue?: RoutingCatalogue;
  /** The routing catalogue of a case's pinned process definition version (the worker reads PostgreSQL). */
  catalogues?: CatalogueSource;
}

/** Arguments of {@link LifecycleActivities.raiseIncident}. */
export interface RaiseIncidentInput {
  caseNo: string;
  workflowId: string;
  /** Unique per case and failed step, e.g. `appendCaseEvents:case:12`. */
  key: string;
  /** The activity that failed. */
  step: string;
  /** The failure's type, e.g. `MirrorRejected`. */
  errorType: string;
  message: string;
}

/** The failure type of a mirror write PostgreSQL refused for its content (no retry can succeed). */
export const MIRROR_REJECTED = 'MirrorRejected';

/**
 * SQLSTATE classes that no retry fixes: 22 data exception (e.g. a NUL in text, a bad encoding), 23 integrity
 * constraint violation (a check or foreign key the row breaks).
 */
export function isUnfixableDatabaseError(error: unknown): boolean {
  const code =
    (error as { code?: unknown; driverError?: { code?: unknown } })?.code ??
    (error as { driverError?: { code?: unknown } })?.driverError?.code;
  return typeof code === 'string' && /^2[23][0-9A-Z]{3}$/.test(code);
}

/** Wraps a mirror write so that a database refusal of its content fails for good ({@link MIRROR_REJECTED}). */
function refusingForGood<A extends unknown[]>(write: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await write(...args);
    } catch (error) {
      if (!isUnfixableDatabaseError(error)) throw error;
      throw ApplicationFailure.nonRetryable((error as Error).message, MIRROR_REJECTED);
    }
  };
}

/** Arguments of {@link LifecycleActivities.stampDeadline}. */
export interface StampDeadlineInput {
  kind: DeadlineKind;
  duration: string;
  from: string;
  reminderFraction: number;
}

/** Arguments of {@link LifecycleActivities.appendCaseEvents}. */
export interface AppendCaseEventsInput {
  caseNo: string;
  /** `case` (default) for the case workflow, `whistle-<n>` for whistle round n. */
  stream?: string;
  /** Sequence number of the first event within its stream (1-based). */
  firstSeq: number;
  events: LifecycleEvent[];
  /** The service centre of the case (notifications to operators); absent: the city's. */
  serviceCentreId?: string;
}

/** What the case projection mirrors of the workflow's state. */
export interface CaseProjection {
  caseNo: string;
  phase: string;
  status: string;
  stage: string;
  leadUnitId?: string;
  coUnitIds: string[];
  copyUnitIds: string[];
  responsibleUnitId?: string;
  escalationLevel: string;
  /** Position on the ladder: 0 not escalated, 1 the first rung, … (absent in projections of old workflows). */
  escalationPosition?: number;
  /** The org tree version the case was dispatched under (absent in projections of old workflows). */
  orgVersion?: number;
  supervision: string;
  overdue: boolean;
  outcome?: string;
  deadlines: Record<string, DeadlineEntry | undefined>;
  nextDeadline?: string;
  timestamps: Partial<Record<'dispatched' | 'signed' | 'contacted' | 'replied' | 'calledBack' | 'closed', string>>;
  /** Absent in projections of cases started before suspension existed. */
  suspendedSince?: string;
  repeatCount?: number;
  priority?: string;
  whistleRounds?: Array<Record<string, unknown>>;
  category?: string;
  /** The process definition version the case is on (changes when a designer migrates it). */
  rulesVersion?: string;
  /** The human steps the case has open; every other task of the case is closed. Absent in old projections. */
  tasks?: OpenTask[];
}

/**
 * Activities of the case lifecycle: deadline stamping on the working-day calendar, routing, and the PostgreSQL
 * mirrors (the case projection and the append-only domain events). All idempotent.
 */
export function createLifecycleActivities(deps: LifecycleActivityDeps) {
  const calendars = calendarSourceOf(deps.calendar ?? buildDefaultCalendar());
  const { dataSource } = deps;
  const trees = deps.trees ?? (() => loadOrgTree(dataSource.manager));
  /** The calendar version a deadline was laid on, where the source keeps past versions; else the current one. */
  const calendarAt = async (version: number, current: WorkCalendar): Promise<WorkCalendar> => {
    if (version === current.version || !(calendars instanceof PostgresCalendarSource)) return current;
    return (await calendars.atVersion(version))?.calendar ?? current;
  };

  const activities = {
    /**
     * Routes a case by the routing catalogue of its pinned version (`rulesVersion`; the `catalogue` given to the
     * factory when the version has none stored), on the org tree as stored now; names the service centre that
     * dispatches it (under two-level command, the district's command centre where it has one); and resolves the bodies
     * of its ladder at its place: the committees of the fixed ladder, or each rung of `rules.rungs` (the pinned
     * version's ladder) — every rung must resolve, there are no fallbacks.
     */
    async planDispatch(
      facts: CaseFacts,
      rulesVersion?: string,
      rules?: Pick<LifecycleRules, 'rungs' | 'command' | 'dispatch'>,
    ): Promise<DispatchPlan> {
      const tree = await trees();
      const pinned = rulesVersion && deps.catalogues ? await deps.catalogues(rulesVersion) : undefined;
      const catalogue = pinned ?? deps.catalogue;
      const twoLevel = rules?.command === 'city-and-district';
      const rungs = rules?.rungs;
      try {
        if (!catalogue) throw new Error(`no routing catalogue is stored for version ${rulesVersion ?? '(none)'}`);
        const decision = evaluateRoute(catalogue, tree, facts, rules?.dispatch);
        const place: Partial<DispatchPlace> = decision.place ?? {};
        const committee = (localityId: string | undefined, level: 'community' | 'street' | 'district') => {
          if (!localityId) return undefined;
          try {
            return committeeFor(tree, localityId, level).id;
          } catch (error) {
            if (error instanceof OrgError) return undefined;
            throw error;
          }
        };
        const serviceCentreId = serviceCentreFor(tree, place.districtId, twoLevel).id;
        return {
          leadUnitId: decision.leadUnitId,
          coUnitIds: [...decision.coUnitIds],
          copyUnitIds: [...decision.copyUnitIds],
          deadlines: { ...decision.deadlines },
          ladderUnits: {
            community: committee(place.communityId, 'community'),
            street: committee(place.streetId, 'street'),
            district: committee(place.districtId, 'district'),
          },
          ...(rungs ? { rungUnits: resolveRungUnits(tree, rungs, place, serviceCentreId) } : {}),
          serviceCentreId,
          ...(tree.version !== undefined ? { orgVersion: tree.version } : {}),
        };
      } catch (error) {
        const type = error instanceof LadderError ? 'LadderUnresolved' : 'RoutingFailed';
        throw ApplicationFailure.nonRetryable((error as Error).message, type);
      }
    },

    /** Lays a duration on the calendar from an instant; records which calendar (and which days) produced it. */
    async stampDeadline(input: StampDeadlineInput): Promise<DeadlineEntry> {
      // Outside the try: a database that cannot answer right now is worth a retry.
      const calendar = await calendars.current();
      try {
        const result = addDuration(calendar, new Date(input.from), input.duration);
        const reminder = fractionPoint(
          calendar,
          parseDuration(input.duration).kind,
          new Date(input.from),
          result.due,
          input.reminderFraction,
        );
        return {
          kind: input.kind,
          duration: input.duration,
          from: input.from,
          due: result.due.toISOString(),
          calendarId: result.calendarId,
          calendarVersion: result.calendarVersion,
          appliedDays: result.appliedDays,
          reminderAt: reminder.toISOString(),
        };
      } catch (error) {
        throw ApplicationFailure.nonRetryable((error as Error).message, 'DeadlineFailed');
      }
    },

    /**
     * The running deadlines laid again on the calendar in force (`recomputeDeadline`: as if the clock had run on the
     * new version from the start; a deadline restarted after a suspension keeps the office time it owed). Each is
     * compared with the version it was laid on; only those whose due instant moves come back, with the new calendar
     * version and reminder. Natural-time deadlines never move.
     */
    async recalendarDeadlines(input: {
      deadlines: DeadlineEntry[];
      reminderFraction: number;
    }): Promise<DeadlineEntry[]> {
      const current = await calendars.current();
      const moved: DeadlineEntry[] = [];
      for (const entry of input.deadlines) {
        const stampedOn = await calendarAt(entry.calendarVersion, current);
        try {
          const result = recomputeDeadline(stampedOn, current, entry);
          if (result.due.toISOString() === entry.due) continue;
          const reminder = fractionPoint(
            current,
            parseDuration(entry.duration).kind,
            new Date(entry.from),
            result.due,
            input.reminderFraction,
          );
          moved.push({
            ...entry,
            due: result.due.toISOString(),
            calendarId: result.calendarId,
            calendarVersion: result.calendarVersion,
            appliedDays: result.appliedDays,
            reminderAt: reminder.toISOString(),
            reminded: entry.reminded === true && reminder.toISOString() <= entry.reminderAt!,
          });
        } catch (error) {
          throw ApplicationFailure.nonRetryable((error as Error).message, 'DeadlineFailed');
        }
      }
      return moved;
    },

    /**
     * Stops the clocks of running deadlines at `at` (suspension): what each still owes, in its own kind of time
     * (natural or working milliseconds), to be laid onto the calendar again by {@link resumeDeadlines}.
     */
    async pauseDeadlines(input: { at: string; deadlines: DeadlineEntry[] }): Promise<PausedDeadline[]> {
      const calendar = await calendars.current();
      try {
        return input.deadlines.map((entry) => ({
          kind: entry.kind,
          duration: entry.duration,
          remainingMs: pauseClock(
            calendar,
            parseDuration(entry.duration).kind,
            new Date(input.at),
            new Date(entry.due),
          ),
        }));
      } catch (error) {
        throw ApplicationFailure.nonRetryable((error as Error).message, 'DeadlineFailed');
      }
    },

    /** Restarts stopped clocks at `at` (resume): each deadline's remaining time laid onto the calendar from there. */
    async resumeDeadlines(input: {
      at: string;
      paused: PausedDeadline[];
      reminderFraction: number;
    }): Promise<DeadlineEntry[]> {
      const calendar = await calendars.current();
      try {
        return input.paused.map((paused) => {
          const kind = parseDuration(paused.duration).kind;
          const result = resumeClock(calendar, kind, new Date(input.at), paused.remainingMs);
          const reminder = fractionPoint(calendar, kind, new Date(input.at), result.due, input.reminderFraction);
          return {
            kind: paused.kind,
            duration: paused.duration,
            from: input.at,
            due: result.due.toISOString(),
            calendarId: result.calendarId,
            calendarVersion: result.calendarVersion,
            appliedDays: result.appliedDays,
            reminderAt: reminder.toISOString(),
          };
        });
      } catch (error) {
        throw ApplicationFailure.nonRetryable((error as Error).message, 'DeadlineFailed');
      }
    },

    /** Mirrors a whistle round's open steps (report, result, rating) into the task inbox; closes the rest of its own. */
    async syncWhistleTasks(input: { caseNo: string; round: number; tasks: OpenTask[] }): Promise<void> {
      await syncTaskRows(dataSource, { caseNo: input.caseNo, whistleRound: input.round }, input.tasks);
    },

    /** Brings the case row up to date with the workflow's state (last write wins; the workflow is the truth). */
    async projectCase(projection: CaseProjection): Promise<void> {
      const t = projection.timestamps;
      const result = await dataSource.query(
        `UPDATE cases SET phase = $2, status = $3, stage = $4, lead_unit_id = $5, co_unit_ids = $6, copy_unit_ids = $7,
           responsible_unit_id = $8, escalation_level = $9, supervision = $10, overdue = $11, outcome = $12,
           deadlines = $13, next_deadline = $14, dispatched_at = $15, signed_at = $16, contacted_at = $17,
           replied_at = $18, called_back_at = $19, closed_at = $20, suspended_since = $21,
           repeat_count = GREATEST(repeat_count, COALESCE($22, 0)), priority = COALESCE($23, priority),
           whistle_rounds = COALESCE($24, whistle_rounds), rules_version = COALESCE($25, rules_version),
           escalation_position = COALESCE($26, escalation_position), org_version = COALESCE($27, org_version),
           updated_at = now()
         WHERE case_no = $1`,
        [
          projection.caseNo,
          projection.phase,
          projection.status,
          projection.stage,
          projection.leadUnitId ?? null,
          projection.coUnitIds,
          projection.copyUnitIds,
          projection.responsibleUnitId ?? null,
          projection.escalationLevel,
          projection.supervision,
          projection.overdue,
          projection.outcome ?? null,
          JSON.stringify(projection.deadlines),
          projection.nextDeadline ?? null,
          t.dispatched ?? null,
          t.signed ?? null,
          t.contacted ?? null,
          t.replied ?? null,
          t.calledBack ?? null,
          t.closed ?? null,
          projection.suspendedSince ?? null,
          projection.repeatCount ?? null,
          projection.priority ?? null,
          projection.whistleRounds ? JSON.stringify(projection.whistleRounds) : null,
          projection.rulesVersion ?? null,
          projection.escalationPosition ?? null,
          projection.orgVersion ?? null,
        ],
      );
      if (Array.isArray(result) && result[1] === 0) log.warn('no case row to project', { caseNo: projection.caseNo });
      if (projection.tasks) {
        const { caseNo, category, escalationLevel } = projection;
        await syncTaskRows(dataSource, { caseNo, category: category ?? '', escalationLevel }, projection.tasks);
      }
    },

    /**
     * Appends domain events numbered by the workflow that recorded them: the case (stream `case`, the default) or a
     * whistle round (`whistle-<n>`), and, in the same transaction, their audit entries (`auditEntriesOfCaseEvents`,
     * hash-chained by `appendAudit`) and the notifications they cause to `outbox` (`notificationsOf`), waking the
     * dispatchers on commit. A retried call writes nothing twice: events are keyed by (case, stream, seq), audit
     * entries by the same reference, notifications by event and recipient.
     */
    async appendCaseEvents(input: AppendCaseEventsInput): Promise<void> {
      if (input.events.length === 0) return;
      const stream = input.stream ?? 'case';
      const centreId = input.serviceCentreId ?? serviceCentreFor(await trees(), undefined, false).id;
      const values: unknown[] = [];
      const rows = input.events.map((event, i) => {
        values.push(
          input.caseNo,
          stream,
          input.firstSeq + i,
          event.type,
          event.at,
          event.actor ? JSON.stringify(event.actor) : null,
          JSON.stringify(event.detail),
          event.updateId ?? null,
        );
        const p = i * 8;
        return `($${p + 1}, $${p + 2}, $${p + 3}, $${p + 4}, $${p + 5}, $${p + 6}, $${p + 7}, $${p + 8})`;
      });
      const notifications = input.events.flatMap((event, i) =>
        notificationsOf({ caseNo: input.caseNo, stream, seq: input.firstSeq + i, event }, centreId),
      );
      const audit = auditEntriesOfCaseEvents({
        caseNo: input.caseNo,
        stream,
        firstSeq: input.firstSeq,
        events: input.events,
      });
      await dataSource.transaction(async (manager) => {
        await manager.query(
          `INSERT INTO case_events (case_no, stream, seq, type, at, actor, detail, update_id) VALUES ${rows.join(', ')}
           ON CONFLICT (case_no, stream, seq) DO NOTHING`,
          values,
        );
        if (notifications.length > 0) await enqueueNotifications(manager, notifications);
        // Last: the audit chain's lock is held from here to commit, so appends of other cases wait the least.
        await appendAudit(manager, audit);
      });
    },

    /**
     * Records an incident: a step of the case that failed for a reason retries cannot fix (the workflow goes on). One
     * row per case and `key`; the same step failing again counts up and reopens it.
     */
    async raiseIncident(input: RaiseIncidentInput): Promise<void> {
      const clean = (text: string) =>
        text
          .split(String.fromCharCode(0))
          .join('\\u0000')
          .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
          .slice(0, 4000);
      await dataSource.query(
        `INSERT INTO incidents (case_no, workflow_id, incident_key, step, error_type, message)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (case_no, incident_key) DO UPDATE SET failures = incidents.failures + 1, status = 'open',
           message = EXCLUDED.message, last_failed_at = now(), resolved_at = NULL, resolved_by = NULL,
           resolution = NULL`,
        [input.caseNo, input.workflowId, input.key, input.step, input.errorType, clean(input.message)],
      );
    },

    /** A failed step of the case succeeded on a retry: its incident is resolved (idempotent). */
    async settleIncident(input: { caseNo: string; key: string }): Promise<void> {
      await dataSource.query(
        `UPDATE incidents SET status = 'resolved', resolved_at = now(), resolved_by = 'system',
           resolution = 'the retried step succeeded'
         WHERE case_no = $1 AND incident_key = $2 AND status <> 'resolved'`,
        [input.caseNo, input.key],
      );
    },
  };
  // Mirror writes PostgreSQL refuses for their content would fail on every retry: they fail for good instead, and the
  // workflow raises an incident and goes on answering.
  return {
    ...activities,
    appendCaseEvents: refusingForGood(activities.appendCaseEvents),
    projectCase: refusingForGood(activities.projectCase),
    syncWhistleTasks: refusingForGood(activities.syncWhistleTasks),
  };
}

/** The lifecycle activities, as the workflow proxies them. */
export type LifecycleActivities = ReturnType<typeof createLifecycleActivities>;

/**
 * Adds notifications to the outbox (each once: `ON CONFLICT (event_key) DO NOTHING`) and, when any is new, tells
 * the dispatchers on commit (`NOTIFY`; a rolled-back append tells no one).
 */
async function enqueueNotifications(manager: EntityManager, notifications: CaseNotification[]): Promise<void> {
  const values: unknown[] = [];
  const rows = notifications.map((notification, i) => {
    values.push(
      notification.eventKey,
      notification.kind,
      notification.caseNo,
      notification.unitId,
      JSON.stringify(notification.payload),
    );
    const p = i * 5;
    return `($${p + 1}, $${p + 2}, $${p + 3}, $${p + 4}, $${p + 5})`;
  });
  const inserted: unknown[] = await manager.query(
    `INSERT INTO outbox (event_key, kind, case_no, unit_id, payload) VALUES ${rows.join(', ')}
     ON CONFLICT (event_key) DO NOTHING RETURNING id`,
    values,
  );
  if (inserted.length > 0) await manager.query(`SELECT pg_notify($1, '')`, [OUTBOX_CHANNEL]);
}

/**
 * Mirrors open human steps into the task inbox: upserts each by its key (keeping a claim), and closes every other
 * open task of the same scope — the case's own steps, or one whistle round's. Idempotent.
 */
async function syncTaskRows(
  dataSource: DataSource,
  scope: { caseNo: string; category?: string; escalationLevel?: string; whistleRound?: number },
  tasks: OpenTask[],
): Promise<void> {
  await dataSource.transaction(async (manager) => {
    for (const task of tasks) {
      await manager.query(
        `INSERT INTO tasks (task_key, case_no, step, unit_id, candidate_role, category, escalation_level, created_at,
                            due_at, reminder_at, reminded, overdue)
         VALUES ($1, $2, $3, $4, $5, COALESCE($6, (SELECT category FROM cases WHERE case_no = $2), ''),
                 COALESCE($7, (SELECT escalation_level FROM cases WHERE case_no = $2), 'none'), now(), $8, $9, $10, $11)
         ON CONFLICT (task_key) DO UPDATE SET
           escalation_level = EXCLUDED.escalation_level, due_at = EXCLUDED.due_at, reminder_at = EXCLUDED.reminder_at,
           reminded = EXCLUDED.reminded, overdue = EXCLUDED.overdue, version = tasks.version + 1
         WHERE tasks.status <> 'closed'`,
        [
          task.key,
          scope.caseNo,
          task.step,
          task.unitId,
          task.role,
          scope.category ?? null,
          scope.escalationLevel ?? null,
          task.dueAt ?? null,
          task.reminderAt ?? null,
          task.reminded,
          task.overdue,
        ],
      );
    }
    // The case closes only its own steps; a whistle round only its own (its keys start `<caseNo>:whistle-<n>:`).
    const inScope = scope.whistleRound === undefined ? `step NOT LIKE 'whistle-%'` : `task_key LIKE $3 || '%'`;
    await manager.query(
      `UPDATE tasks SET status = 'closed', closed_at = now(), version = version + 1
        WHERE case_no = $1 AND status <> 'closed' AND NOT (task_key = ANY($2::text[])) AND ${inScope}`,
      [
        scope.caseNo,
        tasks.map((task) => task.key),
        ...(scope.whistleRound === undefined ? [] : [`${scope.caseNo}:whistle-${scope.whistleRound}:`]),
      ],
    );
  });
}
