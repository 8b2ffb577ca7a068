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
import {
  LadderError,
  resolveAccountabilityUnit,
  resolveRungUnits,
  serviceCentreFor,
} from '../libs/domain/src/lifecycle/ladder';
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
  /**
   * The case row and its open tasks as they stand after these events, written in the same transaction (one mirror
   * write per change); absent: events only (whistle rounds, cases started before the one-write mirror).
   */
  projection?: CaseProjection;
}

/**
 * What `appendCaseEvents` reports in a {@link MIRROR_REJECTED} failure's first detail: which of its parts PostgreSQL
 * refused (`appendCaseEvents`: the events with their audit entries and notifications; `projectCase`: the case row and
 * its tasks). The parts not named were committed.
 */
export interface MirrorRefusal {
  refused: Array<'appendCaseEvents' | 'projectCase'>;
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
  /** The audit call-back's status, once the closed case was drawn for one (absent otherwise, and in old projections). */
  auditStatus?: string;
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

  /** The statements that append `input`'s events (with their notifications) and the audit entries they make. */
  const eventWrites = async (input: AppendCaseEventsInput) => {
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
    return {
      audit,
      write: async (manager: EntityManager) => {
        await manager.query(
          `INSERT INTO case_events (case_no, stream, seq, type, at, actor, detail, update_id) VALUES ${rows.join(', ')}
           ON CONFLICT (case_no, stream, seq) DO NOTHING`,
          values,
        );
        if (notifications.length > 0) await enqueueNotifications(manager, notifications);
      },
    };
  };

  const activities = {
    /**
     * Routes a case by the routing catalogue of its pinned version (`rulesVersion`; the `catalogue` given to the
     * factory when the version has none stored), on the org tree as stored now; names the service centre that
     * dispatches it (under two-level command, the district's command centre where it has one); and resolves the bodies
     * of its ladder at its place: the committees of the fixed ladder, or each rung of `rules.rungs` (the pinned
     * version's ladder) — every rung must resolve, there are no fallbacks — and, when the rules have an accountability
     * step, the office of its `target` at the place (`accountabilityUnitId`), which must resolve too.
     */
    async planDispatch(
      facts: CaseFacts,
      rulesVersion?: string,
      rules?: Pick<LifecycleRules, 'rungs' | 'command' | 'dispatch' | 'accountability'>,
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
          ...(rules?.accountability
            ? { accountabilityUnitId: resolveAccountabilityUnit(tree, rules.accountability.target, place) }
            : {}),
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
      return stampOn(await calendars.current(), input);
    },

    /**
     * {@link stampDeadline} for several requests at once, on one calendar read (the workflow runs it as a local
     * activity: one history event for all the deadlines a change asks for). Entries in request order.
     */
    async stampDeadlines(inputs: StampDeadlineInput[]): Promise<DeadlineEntry[]> {
      const calendar = await calendars.current();
      return inputs.map((input) => stampOn(calendar, input));
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
      await dataSource.transaction((manager) =>
        syncTaskRows(manager, { caseNo: input.caseNo, whistleRound: input.round }, input.tasks),
      );
    },

    /** Brings the case row and its open tasks up to date with the workflow's state (last write wins). */
    async projectCase(projection: CaseProjection): Promise<void> {
      await dataSource.transaction((manager) => writeProjection(manager, projection));
    },

    /**
     * Appends domain events numbered by the workflow that recorded them: the case (stream `case`, the default) or a
     * whistle round (`whistle-<n>`), and, in the same transaction, their audit entries (`auditEntriesOfCaseEvents`,
     * hash-chained by `appendAudit`) and the notifications they cause to `outbox` (`notificationsOf`), waking the
     * dispatchers on commit. With a `projection`, the case row and its tasks are brought up to date in that same
     * transaction: one mirror write per change. A retried call writes nothing twice: events are keyed by (case,
     * stream, seq), audit entries by the same reference, notifications by event and recipient; the projection is the
     * latest state. When PostgreSQL refuses one part for its content, the other part is still written and the failure
     * ({@link MIRROR_REJECTED}) names the refused part ({@link MirrorRefusal}).
     */
    async appendCaseEvents(input: AppendCaseEventsInput): Promise<void> {
      const { projection } = input;
      if (input.events.length === 0 && !projection) return;
      const events = input.events.length > 0 ? await eventWrites(input) : undefined;
      try {
        await dataSource.transaction(async (manager) => {
          if (events) await events.write(manager);
          if (projection) await writeProjection(manager, projection);
          // Last: the audit chain's lock is held from here to commit, so appends of other cases wait the least.
          if (events) await appendAudit(manager, events.audit);
        });
        return;
      } catch (error) {
        if (!events || !projection || !isUnfixableDatabaseError(error)) throw error;
      }
      // PostgreSQL refused one part for its content: write each part on its own, so the other still lands, and name
      // the refused part(s) for the workflow's incident.
      const refused: MirrorRefusal['refused'] = [];
      let reason: unknown;
      const attempt = async (part: MirrorRefusal['refused'][number], write: (m: EntityManager) => Promise<void>) => {
        try {
          await dataSource.transaction(write);
        } catch (error) {
          if (!isUnfixableDatabaseError(error)) throw error;
          refused.push(part);
          reason ??= error;
        }
      };
      await attempt('appendCaseEvents', async (manager) => {
        await events.write(manager);
        await appendAudit(manager, events.audit);
      });
      await attempt('projectCase', (manager) => writeProjection(manager, projection));
      if (refused.length === 0) return;
      throw ApplicationFailure.create({
        message: (reason as Error).message,
        type: MIRROR_REJECTED,
        nonRetryable: true,
        details: [{ refused } satisfies MirrorRefusal],
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

/** Lays one duration on `calendar` (see `stampDeadline`); a duration the calendar cannot lay fails for good. */
function stampOn(calendar: WorkCalendar, input: StampDeadlineInput): DeadlineEntry {
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
}

/** The lifecycle activities, as the workflow proxies them. */
export type LifecycleActivities = ReturnType<typeof createLifecycleActivities>;

/** Writes the case row (last write wins: the workflow is the truth) and its open tasks with `manager`. */
async function writeProjection(manager: EntityManager, projection: CaseProjection): Promise<void> {
  const t = projection.timestamps;
  const result = await manager.query(
    `UPDATE cases SET phase = $2, status = $3, stage = $4, lead_unit_id = $5, co_unit_ids = $6, copy_unit_ids = $7,
       responsible_unit_id = $8, escalation_level = $9, supervision = $10, overdue = $11, outcome = $12,
       deadlines = $13, next_deadline = $14, dispatched_at = $15, signed_at = $16, contacted_at = $17,
       replied_at = $18, called_back_at = $19, closed_at = $20, suspended_since = $21,
       repeat_count = GREATEST(repeat_count, COALESCE($22, 0)), priority = COALESCE($23, priority),
       whistle_rounds = COALESCE($24, whistle_rounds), rules_version = COALESCE($25, rules_version),
       escalation_position = COALESCE($26, escalation_position), org_version = COALESCE($27, org_version),
       audit_status = COALESCE($28, audit_status), updated_at = now()
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
      projection.auditStatus ?? null,
    ],
  );
  if (Array.isArray(result) && result[1] === 0) log.warn('no case row to project', { caseNo: projection.caseNo });
  if (projection.tasks) {
    const { caseNo, category, escalationLevel } = projection;
    await syncTaskRows(manager, { caseNo, category: category ?? '', escalationLevel }, projection.tasks);
  }
}

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
  // One statement: the NOTIFY is sent only when a row was new.
  values.push(OUTBOX_CHANNEL);
  await manager.query(
    `WITH inserted AS (
       INSERT INTO outbox (event_key, kind, case_no, unit_id, payload) VALUES ${rows.join(', ')}
       ON CONFLICT (event_key) DO NOTHING RETURNING id)
     SELECT pg_notify($${values.length}, '') FROM (SELECT 1 FROM inserted LIMIT 1) AS fresh`,
    values,
  );
}

/**
 * Mirrors open human steps into the task inbox: upserts each by its key (keeping a claim), and closes every other
 * open task of the same scope — the case's own steps, or one whistle round's. One statement; idempotent. Runs inside
 * the caller's transaction.
 */
async function syncTaskRows(
  manager: EntityManager,
  scope: { caseNo: string; category?: string; escalationLevel?: string; whistleRound?: number },
  tasks: OpenTask[],
): Promise<void> {
  // One row per key (an upsert may not touch a row twice in one statement); the last wins.
  const unique = [...new Map(tasks.map((task) => [task.key, task])).values()];
  const values: unknown[] = [scope.caseNo, unique.map((task) => task.key)];
  // The case closes only its own steps; a whistle round only its own (its keys start `<caseNo>:whistle-<n>:`).
  let inScope = `step NOT LIKE 'whistle-%'`;
  if (scope.whistleRound !== undefined) {
    values.push(`${scope.caseNo}:whistle-${scope.whistleRound}:`);
    inScope = `task_key LIKE $3 || '%'`;
  }
  const close = `UPDATE tasks SET status = 'closed', closed_at = now(), version = version + 1
      WHERE case_no = $1 AND status <> 'closed' AND NOT (task_key = ANY($2::text[])) AND ${inScope}`;
  if (unique.length === 0) {
    await manager.query(close, values);
    return;
  }
  values.push(scope.category ?? null, scope.escalationLevel ?? null);
  const category = `$${values.length - 1}::text`;
  const level = `$${values.length}::text`;
  const rows = unique.map((task) => {
    const first = values.length;
    values.push(
      task.key,
      task.step,
      task.unitId,
      task.role,
      task.dueAt ?? null,
      task.reminderAt ?? null,
      task.reminded,
      task.overdue,
    );
    const p = (n: number) => `$${first + n}`;
    return `(${p(1)}, $1, ${p(2)}, ${p(3)}, ${p(4)}, COALESCE(${category}, (SELECT category FROM cases WHERE case_no = $1), ''),
             COALESCE(${level}, (SELECT escalation_level FROM cases WHERE case_no = $1), 'none'), now(),
             ${p(5)}::timestamptz, ${p(6)}::timestamptz, ${p(7)}::boolean, ${p(8)}::boolean)`;
  });
  // The close sees the table as it was before the upsert, and never a key the upsert writes: no row is touched twice.
  await manager.query(
    `WITH upserted AS (
       INSERT INTO tasks (task_key, case_no, step, unit_id, candidate_role, category, escalation_level, created_at,
                          due_at, reminder_at, reminded, overdue)
       VALUES ${rows.join(',\n              ')}
       ON CONFLICT (task_key) DO UPDATE SET
         escalation_level = EXCLUDED.escalation_level, due_at = EXCLUDED.due_at, reminder_at = EXCLUDED.reminder_at,
         reminded = EXCLUDED.reminded, overdue = EXCLUDED.overdue, version = tasks.version + 1
       WHERE tasks.status <> 'closed'
       RETURNING 1)
     ${close}`,
    values,
  );
}
