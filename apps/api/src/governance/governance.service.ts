import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import {
  CENTRE_ROLES,
  DEFAULT_EFFECT_MONTHS,
  GovernanceAction,
  GovernanceEffect,
  measureEffect,
} from '../../../../libs/domain/src/governance';
import type { Actor } from '../../../../libs/domain/src/lifecycle/lifecycle.types';
import type { ProcessDefinition } from '../../../../libs/domain/src/rules/process-definition';
import type { ProblemCandidate } from '../../../../libs/domain/src/scores/score.types';
import { appendAudit } from '../../../../libs/persistence/src/audit';
import { OrgTreeSource } from '../../../../libs/persistence/src/org/org-tree-source';
import {
  GOVERNANCE_ACTION_REFUSED,
  GOVERNANCE_ACTION_UPDATES,
  GOVERNANCE_ITEM_WORKFLOW,
  GovernanceItemInput,
} from '../../../../workflows/governance-item/messages';
import { ApiError, ApiErrorCode } from '../common/api-error';
import { TemporalBound } from '../temporal/temporal-bound';
import { TemporalSettings } from '../temporal/temporal.module';
import { AdoptProblemDto, GovernanceItemView, ListItemsQueryDto } from './governance.dto';

/** Roles that read every item: the service centre, auditors and admins. The centre adopts and closes. */
export const ALL_ITEMS_READERS: readonly string[] = [...CENTRE_ROLES, 'auditor'];

/** Audit action of an adoption (docs/auditors.md, "Actions through the API"). */
export const PROBLEM_ADOPTED = 'governance.problem-adopted';

interface ItemRow {
  id: string;
  workflow_id: string;
  kind: GovernanceItemView['kind'];
  title: string;
  owner_unit_ids: string[];
  scope: { categories: string[]; places: string[]; month?: string; unitId?: string };
  origin: Record<string, unknown>;
  status: GovernanceItemView['status'];
  plan: string | null;
  milestones: GovernanceItemView['milestones'];
  report: string | null;
  outcome: GovernanceItemView['outcome'];
  deadline_duration: string;
  due_at: Date | null;
  reminded: boolean;
  overdue: boolean;
  supervision: GovernanceItemView['supervision'];
  events: Record<string, unknown>[];
  measured: GovernanceEffect | null;
  opened_by: string;
  opened_at: Date;
  closed_at: Date | null;
}

const COLUMNS = `id, workflow_id, kind, title, owner_unit_ids, scope, origin, status, plan, milestones, report, outcome,
  deadline_duration, due_at, reminded, overdue, supervision, events, measured, opened_by, opened_at, closed_at`;

function view(row: ItemRow): GovernanceItemView {
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    ownerUnitIds: row.owner_unit_ids,
    scope: row.scope,
    origin: row.origin,
    status: row.status,
    plan: row.plan,
    milestones: row.milestones,
    report: row.report,
    outcome: row.outcome,
    deadline: row.deadline_duration,
    dueAt: row.due_at ? new Date(row.due_at).toISOString() : null,
    reminded: row.reminded,
    overdue: row.overdue,
    supervision: row.supervision,
    events: row.events,
    measured: row.measured,
    openedBy: row.opened_by,
    openedAt: new Date(row.opened_at).toISOString(),
    closedAt: row.closed_at ? new Date(row.closed_at).toISOString() : null,
  };
}

const invalid = (field: string, rule: string, message: string) =>
  new ApiError(ApiErrorCode.ValidationFailed, 'The request is invalid', [{ field, rule, message }]);

/**
 * Governance items through the API: the centre adopts problems of the month and reads and closes every item; an
 * owner unit's handlers and coordinators read their unit's items and plan, complete milestones and report. Every
 * action is an Update of the item's workflow, which validates it again; the answer is the mirrored row.
 */
@Injectable()
export class GovernanceService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly client: Client,
    private readonly bound: TemporalBound,
    private readonly temporal: TemporalSettings,
    private readonly trees: OrgTreeSource,
  ) {}

  /** Items the actor may see, newest first (at most 200): all for the centre, else its unit's. */
  async list(actor: Actor, query: ListItemsQueryDto): Promise<GovernanceItemView[]> {
    const all = ALL_ITEMS_READERS.includes(actor.role);
    const rows = (await this.dataSource.query(
      `SELECT ${COLUMNS} FROM governance_items
        WHERE ($1::boolean OR owner_unit_ids @> ARRAY[$2::text])
          AND ($3::text IS NULL OR kind = $3) AND ($4::text IS NULL OR status = $4)
          AND ($5::text IS NULL OR scope->>'month' = $5)
        ORDER BY opened_at DESC, id LIMIT 200`,
      [all, actor.unitId, query.kind ?? null, query.status ?? null, query.month ?? null],
    )) as ItemRow[];
    return rows.map(view);
  }

  /** One item; another unit's item is not found (scope before state). */
  async get(actor: Actor, id: string): Promise<GovernanceItemView> {
    return view(await this.visibleRow(actor, id));
  }

  /**
   * The effect of an item: case counts of its categories and places in the `months` before it was opened and since,
   * as of now.
   */
  async effect(actor: Actor, id: string, months = DEFAULT_EFFECT_MONTHS): Promise<GovernanceEffect> {
    const row = await this.visibleRow(actor, id);
    return measureEffect((sql, params) => this.dataSource.query(sql, params), row.scope, {
      adoptedAt: new Date(row.opened_at),
      months,
      asOf: new Date(),
    });
  }

  /**
   * The centre adopts a candidate of a month's published scores: stores the item (once per month and category),
   * audits the adoption and starts its workflow.
   * @throws ApiError ValidationFailed when the month has no such candidate or an owner unit is not in the org tree;
   *   Conflict when the candidate is already adopted; EngineUnavailable when Temporal does not start the workflow.
   */
  async adopt(actor: Actor, body: AdoptProblemDto): Promise<GovernanceItemView> {
    const [run] = (await this.dataSource.query(
      `SELECT candidates FROM score_runs WHERE month = $1 AND status = 'completed'
        ORDER BY computed_at DESC, id LIMIT 1`,
      [body.month],
    )) as Array<{ candidates: ProblemCandidate[] | null }>;
    const candidate = run?.candidates?.find((item) => item.category === body.category);
    if (!candidate) {
      throw invalid(
        'category',
        'candidate',
        `${body.category} is not a problem-of-the-month candidate of ${body.month}`,
      );
    }
    const tree = await this.trees.current();
    const unknown = [...body.ownerUnitIds, ...(body.places ?? [])].filter((unitId) => !tree.byId.has(unitId));
    if (unknown.length > 0) {
      const field = body.ownerUnitIds.includes(unknown[0]) ? 'ownerUnitIds' : 'places';
      throw invalid(field, 'unknown-unit', `no unit ${unknown.join(', ')} in the org tree`);
    }
    const places = body.places ?? candidate.areas;
    const id = randomUUID();
    const sourceKey = `problem-of-the-month:${body.month}:${body.category}`;
    const opened = await this.dataSource.transaction(async (manager) => {
      const inserted = (await manager.query(
        `INSERT INTO governance_items (id, source_key, workflow_id, kind, title, owner_unit_ids, scope, origin,
                                       deadline_duration, opened_by)
         VALUES ($1, $2, $3, 'problem-of-the-month', $4, $5, $6, $7, $8, $9)
         ON CONFLICT (source_key) DO NOTHING RETURNING opened_at`,
        [
          id,
          sourceKey,
          `governance-${id}`,
          body.title.trim(),
          [...new Set(body.ownerUnitIds)],
          JSON.stringify({ categories: [body.category], places: [...new Set(places)], month: body.month }),
          JSON.stringify({ candidate }),
          body.deadline,
          actor.userId,
        ],
      )) as Array<{ opened_at: Date }>;
      if (inserted.length === 0) return undefined;
      await appendAudit(manager, [
        {
          at: inserted[0].opened_at,
          actor,
          action: PROBLEM_ADOPTED,
          subject: { kind: 'governance-item', id },
          after: {
            month: body.month,
            category: body.category,
            ownerUnitIds: body.ownerUnitIds,
            deadline: body.deadline,
          },
          source: 'api',
        },
      ]);
      return inserted[0].opened_at;
    });
    if (!opened) {
      const [existing] = (await this.dataSource.query(`SELECT id FROM governance_items WHERE source_key = $1`, [
        sourceKey,
      ])) as Array<{ id: string }>;
      throw new ApiError(
        ApiErrorCode.Conflict,
        `${body.category} of ${body.month} is already adopted as governance item ${existing?.id}`,
      );
    }
    const input: GovernanceItemInput = {
      spec: {
        itemId: id,
        kind: 'problem-of-the-month',
        title: body.title.trim(),
        ownerUnitIds: [...new Set(body.ownerUnitIds)],
        scope: { categories: [body.category], places: [...new Set(places)], month: body.month },
      },
      deadline: body.deadline,
      from: new Date(opened).toISOString(),
      ...(await this.timing()),
    };
    try {
      await this.bound.run('start the governance item', () =>
        this.client.workflow.start(GOVERNANCE_ITEM_WORKFLOW, {
          workflowId: `governance-${id}`,
          taskQueue: this.temporal.taskQueue,
          args: [input],
        }),
      );
    } catch (error) {
      // Not started: the adoption did not happen (the audit entry stays, saying it was asked for).
      await this.dataSource.query(`DELETE FROM governance_items WHERE id = $1`, [id]);
      throw new ApiError(ApiErrorCode.EngineUnavailable, `the item was not started: ${(error as Error).message}`);
    }
    return this.waitForDeadline(id);
  }

  /**
   * Sends an action to the item's workflow as its Update, and answers the row it mirrored.
   * @throws ApiError NotFound (another unit's item, or none), ActionForbidden (not an owner or the centre),
   *   ActionRefused (out of turn), ValidationFailed (the workflow's own checks), EngineUnavailable.
   */
  async act(actor: Actor, id: string, action: GovernanceAction): Promise<GovernanceItemView> {
    const row = await this.visibleRow(actor, id);
    if (row.status === 'closed') throw new ApiError(ApiErrorCode.ActionRefused, `governance item ${id} is closed`);
    const handle = this.client.workflow.getHandle(row.workflow_id);
    try {
      await this.bound.run(`${action.type} on governance item ${id}`, () =>
        handle.executeUpdate(GOVERNANCE_ACTION_UPDATES[action.type] as typeof GOVERNANCE_ACTION_UPDATES.close, {
          args: [{ actor, action: action as Extract<GovernanceAction, { type: 'close' }> }],
        }),
      );
    } catch (error) {
      throw this.refusal(error, id);
    }
    return view(await this.visibleRow(actor, id));
  }

  private refusal(error: unknown, id: string): ApiError {
    if (error instanceof ApiError) return error;
    const cause = error instanceof WorkflowUpdateFailedError ? error.cause : undefined;
    if (cause instanceof ApplicationFailure && cause.type === GOVERNANCE_ACTION_REFUSED) {
      const [code, ...rest] = cause.message.split(': ');
      const message = rest.join(': ') || cause.message;
      if (code === 'WrongUnit' || code === 'WrongRole') return new ApiError(ApiErrorCode.ActionForbidden, message);
      if (code === 'InvalidArgument') return invalid('body', 'governance', message);
      return new ApiError(ApiErrorCode.ActionRefused, cause.message);
    }
    if (error instanceof WorkflowNotFoundError) {
      return new ApiError(ApiErrorCode.ActionRefused, `governance item ${id} is no longer running`);
    }
    return new ApiError(ApiErrorCode.EngineUnavailable, `the item did not answer: ${(error as Error).message}`);
  }

  private async visibleRow(actor: Actor, id: string): Promise<ItemRow> {
    const [row] = (await this.dataSource.query(`SELECT ${COLUMNS} FROM governance_items WHERE id = $1`, [
      id,
    ])) as ItemRow[];
    if (!row || (!ALL_ITEMS_READERS.includes(actor.role) && !row.owner_unit_ids.includes(actor.unitId))) {
      throw new ApiError(ApiErrorCode.NotFound, `no governance item ${id}`);
    }
    return row;
  }

  /** The reminder fraction and supervision step of the city's published definition (defaults 0.8 and `5WD`). */
  private async timing(): Promise<{ reminderFraction: number; raiseAfter: string }> {
    const rows = (await this.dataSource.query(
      `SELECT v.document FROM process_versions v
        WHERE v.archived_at IS NULL AND v.scope_district_id IS NULL AND v.scope_city_id = $1
        ORDER BY v.published_at DESC, v.version DESC LIMIT 1`,
      [(await this.trees.current()).rootId],
    )) as Array<{ document: ProcessDefinition | string }>;
    const document = rows[0]?.document;
    const definition = typeof document === 'string' ? (JSON.parse(document) as ProcessDefinition) : document;
    return {
      reminderFraction: definition?.lifecycle?.reminderFraction ?? 0.8,
      raiseAfter: definition?.lifecycle?.supervision?.raiseAfter ?? '5WD',
    };
  }

  /** The adopted item once its workflow has laid the deadline (a few hundred ms); as stored if that takes longer. */
  private async waitForDeadline(id: string): Promise<GovernanceItemView> {
    const read = async () =>
      ((await this.dataSource.query(`SELECT ${COLUMNS} FROM governance_items WHERE id = $1`, [id])) as ItemRow[])[0];
    for (let attempt = 0; attempt < 50; attempt++) {
      const row = await read();
      if (row.due_at) return view(row);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return view(await read());
  }
}
