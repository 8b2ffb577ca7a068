import { ApplicationFailure } from '@temporalio/activity';
import { DataSource } from 'typeorm';
import { addDuration, fractionPoint, parseDuration, WorkCalendar } from '../libs/domain/src/calendar';
import {
  DEFAULT_EFFECT_MONTHS,
  GovernanceDeadline,
  GovernanceItemState,
  HotspotCount,
  measureEffect,
  proactiveTriggers,
  rectificationTargets,
} from '../libs/domain/src/governance';
import type { ProcessDefinition } from '../libs/domain/src/rules/process-definition';
import { appendAudit } from '../libs/persistence/src/audit/audit.writer';
import { CalendarSource, calendarSourceOf } from '../libs/persistence/src/calendar/calendar-source';
import { buildDefaultCalendar } from './calendar-source';
import type { GovernanceItemInput } from '../workflows/governance-item/messages';

export interface GovernanceActivityDeps {
  dataSource: DataSource;
  /** Where deadlines get their calendar (the worker: PostgreSQL); default: the national calendar, fixed. */
  calendar?: WorkCalendar | CalendarSource;
  /** The clock of recorded effects; tests pass a fixed one. */
  now?: () => Date;
}

/** Arguments of {@link GovernanceActivities.mirrorGovernanceItem}. */
export interface MirrorGovernanceInput {
  itemId: string;
  /** The workflow's change counter: a write older than the row's is ignored. */
  version: number;
  state: GovernanceItemState;
}

/** The reminder fraction and overdue supervision step of the definition in force (defaults 0.8 and `5WD`). */
function lifecycleTiming(definition: ProcessDefinition | undefined): { reminderFraction: number; raiseAfter: string } {
  return {
    reminderFraction: definition?.lifecycle?.reminderFraction ?? 0.8,
    raiseAfter: definition?.lifecycle?.supervision?.raiseAfter ?? '5WD',
  };
}

/**
 * The definition that governs the whole city now: the newest non-archived version published for the org tree's
 * root without a district (what city-wide figures are read by, as for the scores).
 */
export async function cityDefinition(dataSource: DataSource): Promise<ProcessDefinition | undefined> {
  const rows = (await dataSource.query(
    `SELECT v.document FROM process_versions v
      WHERE v.archived_at IS NULL AND v.scope_district_id IS NULL
        AND v.scope_city_id = (SELECT id FROM org_units WHERE parent_id IS NULL ORDER BY id LIMIT 1)
      ORDER BY v.published_at DESC, v.version DESC LIMIT 1`,
  )) as Array<{ document: ProcessDefinition | string }>;
  const document = rows[0]?.document;
  return typeof document === 'string' ? (JSON.parse(document) as ProcessDefinition) : document;
}

/** A scope as a score run stores it (`score_runs.scopes`): `city` or a district, its version, its bottom lists. */
interface RunScope {
  id: string;
  definition: string | null;
  bottom?: Record<string, string[]>;
}

/** A run's scope with its definition loaded, and its bottom units (all kinds) when the run recorded them. */
interface LoadedScope {
  id: string;
  label: string | null;
  definition: ProcessDefinition | undefined;
  bottom?: string[];
}

/**
 * The scopes of a run with their definitions: each scope's version by its label; a run without recorded scopes is
 * one city scope under the city's definition in force.
 */
async function scopesOf(
  dataSource: DataSource,
  scopes: RunScope[] | null,
  city: ProcessDefinition | undefined,
): Promise<LoadedScope[]> {
  if (!scopes || scopes.length === 0) return [{ id: 'city', label: null, definition: city }];
  const loaded: LoadedScope[] = [];
  for (const scope of scopes) {
    const rows = scope.definition
      ? ((await dataSource.query(`SELECT document FROM process_versions WHERE label = $1`, [
          scope.definition,
        ])) as Array<{
          document: ProcessDefinition | string;
        }>)
      : [];
    const document = rows[0]?.document;
    loaded.push({
      id: scope.id,
      label: scope.definition,
      definition: typeof document === 'string' ? (JSON.parse(document) as ProcessDefinition) : document,
      bottom: scope.bottom ? Object.values(scope.bottom).flat() : undefined,
    });
  }
  return loaded;
}

interface ItemRow {
  id: string;
  kind: GovernanceItemInput['spec']['kind'];
  title: string;
  owner_unit_ids: string[];
  scope: GovernanceItemInput['spec']['scope'];
  deadline_duration: string;
  opened_at: Date;
}

/** The workflow input of a stored item. */
export function itemInput(row: ItemRow, timing: { reminderFraction: number; raiseAfter: string }): GovernanceItemInput {
  return {
    spec: { itemId: row.id, kind: row.kind, title: row.title, ownerUnitIds: row.owner_unit_ids, scope: row.scope },
    deadline: row.deadline_duration,
    from: new Date(row.opened_at).toISOString(),
    ...timing,
  };
}

/** The workflow id of an item. */
export const governanceWorkflowId = (itemId: string): string => `governance-${itemId}`;

const INSERT_ITEM = `
  INSERT INTO governance_items (id, source_key, workflow_id, kind, title, owner_unit_ids, scope, origin,
                                deadline_duration, opened_by)
  SELECT x.id, $1, 'governance-' || x.id, $2, $3, $4, $5, $6, $7, 'system'
    FROM (SELECT gen_random_uuid() AS id) x
  ON CONFLICT (source_key) DO NOTHING`;

/**
 * Activities of governance items: deadlines on the working-day calendar, the mirror of an item's state into
 * `governance_items` (with its audit entries, and the effect recorded at the close), and the items a completed score
 * run opens (rectification of the bottom units, proactive items of hotspots past the threshold). All idempotent.
 */
export function createGovernanceActivities(deps: GovernanceActivityDeps) {
  const { dataSource } = deps;
  const calendars = calendarSourceOf(deps.calendar ?? buildDefaultCalendar());
  const now = deps.now ?? (() => new Date());

  return {
    /** Lays an item's deadline on the calendar in force, with its reminder at `reminderFraction` of the way. */
    async stampGovernanceDeadline(input: {
      duration: string;
      from: string;
      reminderFraction: number;
    }): Promise<GovernanceDeadline> {
      const calendar = await calendars.current();
      try {
        const result = addDuration(calendar, new Date(input.from), input.duration);
        const kind = parseDuration(input.duration).kind;
        const reminder = fractionPoint(calendar, kind, new Date(input.from), result.due, input.reminderFraction);
        return {
          duration: input.duration,
          from: input.from,
          due: result.due.toISOString(),
          reminderAt: reminder.toISOString(),
          calendarId: result.calendarId,
          calendarVersion: result.calendarVersion,
        };
      } catch (error) {
        throw ApplicationFailure.nonRetryable((error as Error).message, 'DeadlineFailed');
      }
    },

    /**
     * Writes the item's state (last version wins), appends an audit entry per event not yet mirrored, and at the
     * close records the measured effect (case counts of its categories and places before and since it was opened).
     */
    async mirrorGovernanceItem(input: MirrorGovernanceInput): Promise<void> {
      const { state } = input;
      await dataSource.transaction(async (manager) => {
        const [row] = (await manager.query(
          `SELECT version, jsonb_array_length(events) AS mirrored, opened_at, measured IS NOT NULL AS measured
             FROM governance_items WHERE id = $1 FOR UPDATE`,
          [input.itemId],
        )) as Array<{ version: number; mirrored: number; opened_at: Date; measured: boolean }>;
        if (!row) throw ApplicationFailure.nonRetryable(`no governance item ${input.itemId}`, 'GovernanceItemMissing');
        if (row.version >= input.version) return;
        const fresh = state.events.slice(row.mirrored);
        if (fresh.length > 0) {
          await appendAudit(
            manager,
            fresh.map((event, index) => ({
              at: event.at,
              actor: event.actor
                ? { userId: event.actor.userId, role: event.actor.role, unitId: event.actor.unitId }
                : { userId: 'system', role: 'system', unitId: null },
              action: `governance.${event.type}`,
              subject: { kind: 'governance-item', id: input.itemId },
              after: { status: state.status, supervision: state.supervision, ...(event.detail ?? {}) },
              source: 'api' as const,
              eventRef: `governance/${input.itemId}/${row.mirrored + index + 1}`,
            })),
          );
        }
        const measured =
          state.status === 'closed' && !row.measured && state.scope.categories.length > 0
            ? await measureEffect((sql, params) => manager.query(sql, params), state.scope, {
                adoptedAt: new Date(row.opened_at),
                months: DEFAULT_EFFECT_MONTHS,
                asOf: state.closedAt ? new Date(state.closedAt) : now(),
              })
            : undefined;
        await manager.query(
          `UPDATE governance_items
              SET status = $2, plan = $3, milestones = $4, report = $5, outcome = $6, deadline = $7, due_at = $8,
                  reminded = $9, overdue = $10, supervision = $11, events = $12, closed_at = $13, version = $14,
                  measured = COALESCE(measured, $15)
            WHERE id = $1`,
          [
            input.itemId,
            state.status,
            state.plan ?? null,
            JSON.stringify(state.milestones),
            state.report ?? null,
            state.outcome ?? null,
            state.deadline ? JSON.stringify(state.deadline) : null,
            state.deadline?.due ?? null,
            state.reminded,
            state.overdue,
            state.supervision,
            JSON.stringify(state.events),
            state.closedAt ?? null,
            input.version,
            measured ? JSON.stringify(measured) : null,
          ],
        );
      });
    },

    /**
     * The items a completed score run opens, scope by scope (the city, and each district with a definition of its
     * own): a rectification item per unit on the scope's published bottom lists (its definition's `scoring.bottomN`;
     * deadline `scoring.rectification.deadline`) and a proactive item per hotspot of the scope past its
     * `scoring.proactive`. Stored once per month and unit (or category and place): a later run of the month, or a
     * retry, finds them. Answers every not-closed item of the month's kinds, for the caller to start (a workflow
     * already running is left as it is).
     */
    async openGovernanceAfterRun(input: { runId: string }): Promise<GovernanceItemInput[]> {
      const [run] = (await dataSource.query(`SELECT month, status, scopes FROM score_runs WHERE id = $1`, [
        input.runId,
      ])) as { month: string; status: string; scopes: RunScope[] | null }[];
      if (!run) throw ApplicationFailure.nonRetryable(`no score run ${input.runId}`, 'ScoreRunNotFound');
      if (run.status !== 'completed') return [];
      const city = await cityDefinition(dataSource);
      const scopes = await scopesOf(dataSource, run.scopes, city);
      const units = (await dataSource.query(
        `SELECT s.unit_id, s.unit_kind, s.score, s.eligible, o.name FROM unit_scores s
           LEFT JOIN org_units o ON o.id = s.unit_id WHERE s.run_id = $1`,
        [input.runId],
      )) as Array<{ unit_id: string; unit_kind: string; score: number | null; eligible: boolean; name: string | null }>;
      const byId = new Map(units.map((unit) => [unit.unit_id, unit]));
      for (const scope of scopes) {
        const rectification = scope.definition?.scoring?.rectification;
        if (!rectification) continue;
        // The scope's bottom lists as the run published them (its definition's bottomN); a run stored before
        // scopes were recorded: the same cut over its units.
        const bottom =
          scope.bottom ??
          rectificationTargets(
            units.map((unit) => ({
              unitId: unit.unit_id,
              unitKind: unit.unit_kind,
              score: unit.score,
              eligible: unit.eligible,
            })),
            scope.definition!.scoring.bottomN,
          ).map((target) => target.unitId);
        for (const unitId of bottom) {
          const unit = byId.get(unitId);
          await dataSource.query(INSERT_ITEM, [
            `rectification:${run.month}:${unitId}`,
            'rectification',
            `${run.month} 限期整改：${unit?.name ?? unitId}`,
            [unitId],
            JSON.stringify({ categories: [], places: [], month: run.month, unitId }),
            JSON.stringify({
              runId: input.runId,
              scope: scope.id,
              definition: scope.label,
              bottomN: scope.definition!.scoring.bottomN,
              unitId,
              unitKind: unit?.unit_kind,
              score: unit?.score ?? null,
            }),
            rectification.deadline,
          ]);
        }
      }
      const hotspots = (
        (await dataSource.query(
          `SELECT month, category, district_id, street_id, cases FROM hotspots WHERE run_id = $1`,
          [input.runId],
        )) as Array<{
          month: string;
          category: string;
          district_id: string | null;
          street_id: string | null;
          cases: number;
        }>
      ).map(
        (row): HotspotCount => ({
          month: row.month,
          category: row.category,
          districtId: row.district_id,
          streetId: row.street_id,
          cases: Number(row.cases),
        }),
      );
      for (const scope of scopes) {
        const rule = scope.definition?.scoring?.proactive;
        if (!rule) continue;
        // A district scope's hotspots go by its rule; the city's rule takes every other place.
        const districtScopes = scopes.filter((other) => other.id !== 'city').map((other) => other.id);
        const mine = hotspots.filter((hotspot) =>
          scope.id === 'city' ? !districtScopes.includes(hotspot.districtId ?? '') : hotspot.districtId === scope.id,
        );
        for (const trigger of proactiveTriggers(run.month, mine, rule)) {
          await dataSource.query(INSERT_ITEM, [
            `proactive:${run.month}:${trigger.category}:${trigger.ownerUnitId}`,
            'proactive',
            `${run.month} 未诉先办：${trigger.category}（${trigger.previousCases} → ${trigger.cases}）`,
            [trigger.ownerUnitId],
            JSON.stringify({ categories: [trigger.category], places: [trigger.ownerUnitId], month: run.month }),
            JSON.stringify({ runId: input.runId, scope: scope.id, definition: scope.label, rule, ...trigger }),
            rule.deadline,
          ]);
        }
      }
      const rows = (await dataSource.query(
        `SELECT id, kind, title, owner_unit_ids, scope, deadline_duration, opened_at FROM governance_items
          WHERE kind IN ('rectification', 'proactive') AND scope->>'month' = $1 AND status <> 'closed'
          ORDER BY source_key`,
        [run.month],
      )) as ItemRow[];
      const timing = lifecycleTiming(city);
      return rows.map((row) => itemInput(row, timing));
    },

    /** The deadline timing (reminder fraction, supervision step) of the definition in force, for an adopted item. */
    async governanceTiming(): Promise<{ reminderFraction: number; raiseAfter: string }> {
      return lifecycleTiming(await cityDefinition(dataSource));
    },
  };
}

/** The governance activities, as the workflows proxy them. */
export type GovernanceActivities = ReturnType<typeof createGovernanceActivities>;
