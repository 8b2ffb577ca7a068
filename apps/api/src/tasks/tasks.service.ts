import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Actor } from '../../../../libs/domain/src/lifecycle/lifecycle.types';
import { appendAudit } from '../../../../libs/persistence/src/audit';
import type { CaseSnapshot } from '../../../../workflows/complaint-case/messages';
import type { WhistleRoundState } from '../../../../workflows/whistle-round/messages';
import { ActionAnswer } from '../cases/action-idempotency';
import { CaseActionService } from '../cases/case-action.service';
import { ApiError, ApiErrorCode } from '../common/api-error';
import { createValidationPipe } from '../common/validation';
import { encodeCursor, inboxCountsSql, inboxPageSqlFor, InboxRow, Sql } from './inbox-query';
import { inboxFilterFor, invalid, planTaskAction } from './task-requests';
import { InboxCounts, InboxQueryDto, InboxView, ReassignDto, TaskView, toTaskView } from './tasks.dto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Roles that may read any unit's inbox (supervision), and may release or hand on any claimed task (admin). */
const ANY_UNIT_READERS: readonly string[] = ['auditor', 'admin'];

/** Audit actions of the claim on a task (docs/auditors.md, "Actions through the API"). */
export const TASK_AUDIT_ACTIONS = {
  claimed: 'task.claimed',
  unclaimed: 'task.unclaimed',
  reassigned: 'task.reassigned',
} as const;

type TaskAuditAction = (typeof TASK_AUDIT_ACTIONS)[keyof typeof TASK_AUDIT_ACTIONS];

/** The claim of a task, before and after a change, with the case and step it belongs to. */
interface ClaimRow {
  status: string;
  claimed_by: string | null;
  case_no: string;
  step: string;
}

/** A task row with the case fields the inbox shows, and its key (a whistle task's names its round). */
type TaskRow = Omit<InboxRow, 'sort_key'> & { task_key: string };

const TASK_COLUMNS = `t.id, t.task_key, t.case_no, t.step, t.unit_id, t.candidate_role, t.status, t.claimed_by,
  t.claimed_at, t.category, t.escalation_level, t.created_at, t.due_at, t.reminder_at, t.reminded, t.overdue,
  t.closed_at, t.version, c.kind, c.urgency, c.address`;

/**
 * The task inbox: lists a unit's tasks, claims them, and acts on a case through its task. Every call checks access
 * first: a caller works in their own unit's inbox with their own role (auditors and admins read any unit). Rows are
 * written by the case workflow's projection activity; this service only ever changes the claim, each change with its
 * audit entry (`task.claimed`, `task.unclaimed`, `task.reassigned`) in the same transaction.
 */
@Injectable()
export class TasksService {
  private readonly validation = createValidationPipe();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly actions: CaseActionService,
  ) {}

  /**
   * One page of an inbox and the unit's badge counts.
   *
   * @throws ApiError ActionForbidden (403) for another unit's inbox; ValidationFailed (400) for a foreign cursor.
   */
  async inbox(query: InboxQueryDto, actor: Actor): Promise<InboxView> {
    const unitId = query.unit ?? actor.unitId;
    if (unitId !== actor.unitId && !ANY_UNIT_READERS.includes(actor.role)) {
      throw new ApiError(
        ApiErrorCode.ActionForbidden,
        `WrongUnit: a ${actor.role} reads the inbox of their own unit ${actor.unitId}, not ${unitId}`,
      );
    }
    const filter = inboxFilterFor(query, unitId, actor);
    const run = <T>(sql: Sql) => this.dataSource.query<T[]>(sql.text, sql.values);
    const [rows, [badges]] = await Promise.all([
      inboxPageSqlFor(filter, run).then((page) => run<InboxRow>(page)),
      run<InboxCounts>(inboxCountsSql(unitId)),
    ]);
    const more = rows.length > filter.limit;
    const shown = more ? rows.slice(0, filter.limit) : rows;
    const last = shown[shown.length - 1];
    const usernames = await this.usernames(shown);
    return {
      unitId,
      items: shown.map((row) => toTaskView(row, usernames)),
      nextCursor:
        more && last ? encodeCursor({ sort: filter.sort, order: filter.order, key: last.sort_key, id: last.id }) : null,
      counts: badges,
    };
  }

  /**
   * Claims an open task for the caller: one atomic UPDATE, so of two colleagues claiming at once exactly one wins.
   * Claiming a task one already holds answers it unchanged.
   *
   * @throws NotFoundException (unknown, or another unit's); ApiError ActionForbidden (another role), ActionRefused
   *   (claimed by someone else, or closed).
   */
  async claim(id: string, actor: Actor): Promise<TaskView> {
    await this.accessibleTask(id, actor);
    const claimed = await this.changeClaim(
      id,
      TASK_AUDIT_ACTIONS.claimed,
      `UPDATE tasks SET status = 'claimed', claimed_by = $2, claimed_at = now(), version = version + 1
        WHERE id = $1 AND status = 'open'
        RETURNING status, claimed_by, case_no, step`,
      [id, actor.userId],
      actor,
    );
    const task = await this.task(id);
    if (claimed || (task.status === 'claimed' && task.claimed_by === actor.userId)) return this.view(task);
    throw await this.refusal(task);
  }

  /**
   * Releases a claimed task back to its unit. Only the claimer may, or an admin (to free the tasks of someone who is
   * away).
   */
  async unclaim(id: string, actor: Actor): Promise<TaskView> {
    const isAdmin = actor.role === 'admin';
    await (isAdmin ? this.task(id) : this.accessibleTask(id, actor));
    const released = await this.changeClaim(
      id,
      TASK_AUDIT_ACTIONS.unclaimed,
      `UPDATE tasks SET status = 'open', claimed_by = NULL, claimed_at = NULL, version = version + 1
        WHERE id = $1 AND status = 'claimed' AND (claimed_by = $2 OR $3)
        RETURNING status, claimed_by, case_no, step`,
      [id, actor.userId, isAdmin],
      actor,
    );
    const task = await this.task(id);
    if (released) return this.view(task);
    if (task.status === 'open') {
      throw new ApiError(ApiErrorCode.ActionRefused, `NotClaimed: task ${id} is open; there is no claim to release`);
    }
    if (task.status === 'claimed') throw notClaimer(task, 'release');
    throw await this.refusal(task);
  }

  /**
   * Hands a task to a colleague of its unit with its role (by user id or username). The claimer may hand on their
   * task; anyone of the unit with the role may assign an open one; an admin may hand on any task.
   */
  async reassign(id: string, body: ReassignDto, actor: Actor): Promise<TaskView> {
    if (body.userId !== undefined && body.username !== undefined) {
      throw invalid('userId', 'oneOf', 'give userId or username, not both');
    }
    const isAdmin = actor.role === 'admin';
    const task = isAdmin ? await this.task(id) : await this.accessibleTask(id, actor);
    const [target] = await this.dataSource.query<{ id: string; username: string; role: string; unit_id: string }[]>(
      `SELECT id::text, username, role, unit_id FROM users WHERE active AND ${body.userId ? 'id = $1::uuid' : 'username = $1'}`,
      [body.userId ?? body.username],
    );
    const field = body.userId ? 'userId' : 'username';
    if (!target) throw invalid(field, 'unknownUser', `no active user ${body.userId ?? body.username}`);
    if (target.unit_id !== task.unit_id || target.role !== task.candidate_role) {
      throw invalid(
        field,
        'sameUnitAndRole',
        `${target.username} is a ${target.role} of ${target.unit_id}; the task needs a ${task.candidate_role} of ${task.unit_id}`,
      );
    }
    const moved = await this.changeClaim(
      id,
      TASK_AUDIT_ACTIONS.reassigned,
      `UPDATE tasks SET status = 'claimed', claimed_by = $2, claimed_at = now(), version = version + 1
        WHERE id = $1 AND (status = 'open' OR (status = 'claimed' AND (claimed_by = $3 OR $4)))
        RETURNING status, claimed_by, case_no, step`,
      [id, target.id, actor.userId, isAdmin],
      actor,
    );
    const now = await this.task(id);
    if (moved) return this.view(now);
    if (now.status === 'claimed') throw notClaimer(now, 'hand on');
    throw await this.refusal(now);
  }

  /**
   * Acts on the task's case with an action that fits the task's step, validated with the action's own body class:
   * a case step's action goes to the case workflow, as `POST /api/v1/cases/:caseNo/<action>` would; a whistle step's
   * (`report`, `result`, `rate`) to the round its key names, as `POST …/whistle-rounds/<n>/…` would. Returns the
   * case's new state, or the round's.
   *
   * @throws ApiError ValidationFailed (an action the step does not take, a bad body, a rating of another department
   *   than the task's), ActionRefused (the task is closed: stale; or claimed by someone else), ActionForbidden
   *   (another role; another unit's task is a 404), and the case's or round's refusals.
   */
  async act(
    id: string,
    name: string,
    body: unknown,
    actor: Actor,
    idempotencyKey?: string,
  ): Promise<ActionAnswer<CaseSnapshot | WhistleRoundState>> {
    const task = await this.accessibleTask(id, actor);
    const plan = planTaskAction(task, name);
    const stale = task.status === 'closed' || (task.status === 'claimed' && task.claimed_by !== actor.userId);
    if (stale && !idempotencyKey) throw await this.refusal(task);
    // The action's own body class under the global pipe's rules; an action without a body ignores it.
    const input: unknown = plan.body
      ? await this.validation.transform(body ?? {}, { type: 'body', metatype: plan.body })
      : undefined;
    if (stale && idempotencyKey) {
      // A retry of an action this caller applied before, with its key: the first answer, not 409.
      const round = plan.target === 'whistle' ? plan.round : undefined;
      const replay = await this.actions.storedAnswer(
        { caseNo: task.case_no, round },
        plan.toAction(input),
        actor,
        idempotencyKey,
      );
      if (replay) return replay;
      throw await this.refusal(task);
    }
    return plan.target === 'whistle'
      ? this.actions.performOnWhistle(task.case_no, plan.round, plan.toAction(input), actor, idempotencyKey)
      : this.actions.perform(task.case_no, plan.toAction(input), actor, idempotencyKey);
  }

  /**
   * The task, if the caller works in its unit with its role. Another unit's task answers as an unknown one (404, the
   * same body): scope before state, so nothing tells an outsider that the task exists or where its case stands.
   */
  private async accessibleTask(id: string, actor: Actor): Promise<TaskRow> {
    const task = await this.task(id);
    if (task.unit_id !== actor.unitId) throw taskNotFound(id);
    if (task.candidate_role !== actor.role) {
      throw new ApiError(
        ApiErrorCode.ActionForbidden,
        `WrongRole: task ${id} waits on a ${task.candidate_role}, not a ${actor.role}`,
      );
    }
    return task;
  }

  private async task(id: string): Promise<TaskRow> {
    if (!UUID.test(id)) throw invalid('id', 'isUuid', 'id must be a task id (UUID)');
    const [row] = await this.dataSource.query<TaskRow[]>(
      `SELECT ${TASK_COLUMNS} FROM tasks t JOIN cases c ON c.case_no = t.case_no WHERE t.id = $1`,
      [id],
    );
    if (!row) throw taskNotFound(id);
    return row;
  }

  private async view(row: TaskRow): Promise<TaskView> {
    return toTaskView(row, await this.usernames([row]));
  }

  /** 409 for a task that is closed (a stale action) or claimed by someone else, naming the claimer. */
  private async refusal(task: TaskRow): Promise<ApiError> {
    if (task.status === 'closed') {
      return new ApiError(
        ApiErrorCode.ActionRefused,
        `TaskClosed: task ${task.id} (${task.step} of case ${task.case_no}) was closed at ` +
          `${task.closed_at?.toISOString()}; the case has moved on (stale)`,
      );
    }
    const claimer = (await this.usernames([task])).get(task.claimed_by ?? '') ?? task.claimed_by;
    return new ApiError(
      ApiErrorCode.ActionRefused,
      `TaskClaimed: task ${task.id} is claimed by ${claimer} since ${task.claimed_at?.toISOString()}`,
    );
  }

  /**
   * Runs an UPDATE … RETURNING of a task's claim and, when it changed the row, its audit entry, in one transaction:
   * the claim (status, claimer) before → after, with the task's case and step. True when it changed the row; false
   * (nothing written) when its conditions did not hold.
   */
  private async changeClaim(
    id: string,
    action: TaskAuditAction,
    sql: string,
    values: unknown[],
    actor: Actor,
  ): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      // Locked first, so the claim read here is the one the UPDATE changes (a concurrent change waits for commit).
      const [before] = await manager.query<ClaimRow[]>(
        `SELECT status, claimed_by, case_no, step FROM tasks WHERE id = $1 FOR UPDATE`,
        [id],
      );
      // TypeORM answers an UPDATE … RETURNING as [rows, affected count] on PostgreSQL.
      const [[after]] = await manager.query<[ClaimRow[], number]>(sql, values);
      if (!before || !after) return false;
      await appendAudit(manager, [
        {
          at: new Date(),
          actor,
          action,
          subject: { kind: 'task', id },
          before: { status: before.status, claimedBy: before.claimed_by },
          after: { status: after.status, claimedBy: after.claimed_by, caseNo: after.case_no, step: after.step },
          source: 'api',
        },
      ]);
      return true;
    });
  }

  /** Usernames of the claimers among `rows` (claims by API tokens have none). */
  private async usernames(rows: readonly Pick<InboxRow, 'claimed_by'>[]): Promise<Map<string, string>> {
    const ids = [...new Set(rows.map((row) => row.claimed_by).filter((id): id is string => !!id && UUID.test(id)))];
    if (ids.length === 0) return new Map();
    const users = await this.dataSource.query<{ id: string; username: string }[]>(
      `SELECT id::text, username FROM users WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    return new Map(users.map((user) => [user.id, user.username]));
  }
}

/** The one answer to an unknown task and to another unit's task. */
function taskNotFound(id: string): NotFoundException {
  return new NotFoundException(`No task ${id}`);
}

/** 403 for releasing or handing on a task someone else holds. */
function notClaimer(task: TaskRow, what: string): ApiError {
  return new ApiError(
    ApiErrorCode.ActionForbidden,
    `NotClaimer: task ${task.id} is claimed by someone else; only the claimer or an admin can ${what} it`,
  );
}
