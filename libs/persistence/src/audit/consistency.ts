import { Client, WorkflowExecutionInfo, WorkflowNotFoundError } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { CASE_SEARCH_ATTRIBUTES as A } from '../../../domain/src/case/search-attributes';
import { ESCALATION_LEVELS } from '../../../domain/src/lifecycle/lifecycle.types';

/** Workflow type of a case (`COMPLAINT_CASE_WORKFLOW` in workflows/complaint-case/messages.ts). */
const CASE_WORKFLOW_TYPE = 'complaintCase';

/** What the `cases` projection says about a case, in the fields Temporal's visibility also holds. */
export interface ProjectedCase {
  caseNo: string;
  workflowId: string;
  status: string;
  stage: string;
  escalationLevel: string;
  overdue: boolean;
  responsibleUnitId: string | null;
  rulesVersion: string;
  category: string;
  streetId: string | null;
  districtId: string | null;
}

/** What Temporal's visibility says about a case workflow: its execution status and its search attributes by name. */
export interface VisibleCase {
  workflowId: string;
  /** `RUNNING`, `COMPLETED`, `TERMINATED`, … */
  executionStatus: string;
  attributes: Record<string, unknown>;
}

/** One field on which the projection and visibility disagree. */
export interface FieldDrift {
  /** The projection's column (`status`, `escalationLevel`, …) or `execution` (open row, finished workflow). */
  field: string;
  /** The search attribute compared with, when there is one. */
  attribute?: string;
  projection: unknown;
  visibility: unknown;
}

/** A case whose projection and workflow disagree, or that one side does not have. */
export interface CaseDrift {
  caseNo?: string;
  workflowId: string;
  /** `missing-workflow`: a row whose workflow Temporal does not know; `missing-projection`: the reverse. */
  kind: 'missing-workflow' | 'missing-projection' | 'fields';
  fields?: FieldDrift[];
}

/**
 * The fields on which `row` and `visible` disagree. Attributes the workflow sets only once the case is dispatched
 * (level, overdue, responsible unit) are compared only when visibility has `EscalationLevel`; an absent keyword
 * attribute counts as null. A projection still open while its workflow has finished is an `execution` drift. Pure.
 */
export function compareCase(row: ProjectedCase, visible: VisibleCase): FieldDrift[] {
  const attributes = visible.attributes;
  const drift: FieldDrift[] = [];
  const check = (field: string, attribute: string, projection: unknown, visibility: unknown) => {
    if (projection !== visibility) drift.push({ field, attribute, projection, visibility });
  };
  const keyword = (name: string) => (attributes[name] as string | undefined) ?? null;
  if (visible.executionStatus !== 'RUNNING' && row.status !== 'closed') {
    drift.push({ field: 'execution', projection: row.status, visibility: visible.executionStatus });
  }
  check('status', A.status.name, row.status, keyword(A.status.name));
  check('stage', A.stage.name, row.stage, keyword(A.stage.name));
  check('rulesVersion', A.rulesVersion.name, row.rulesVersion, keyword(A.rulesVersion.name));
  check('category', A.category.name, row.category, keyword(A.category.name));
  check('streetId', A.street.name, row.streetId, keyword(A.street.name));
  check('districtId', A.district.name, row.districtId, keyword(A.district.name));
  const level = attributes[A.escalationLevel.name];
  if (typeof level === 'number') {
    check('escalationLevel', A.escalationLevel.name, row.escalationLevel, ESCALATION_LEVELS[level] ?? `#${level}`);
    check('overdue', A.overdue.name, row.overdue, attributes[A.overdue.name] ?? false);
    check('responsibleUnitId', A.responsibleUnit.name, row.responsibleUnitId, keyword(A.responsibleUnit.name));
  }
  return drift;
}

/** Where the check reads Temporal's side: a visibility query, and one workflow by id. */
export interface VisibilitySource {
  list(query: string): AsyncIterable<VisibleCase>;
  /** The workflow's latest run, or null when Temporal does not know it (never ran, or its retention passed). */
  describe(workflowId: string): Promise<VisibleCase | null>;
}

/** {@link VisibilitySource} over a Temporal client. */
export function temporalVisibility(client: Client): VisibilitySource {
  const of = (info: Pick<WorkflowExecutionInfo, 'workflowId' | 'status' | 'typedSearchAttributes'>): VisibleCase => ({
    workflowId: info.workflowId,
    executionStatus: info.status.name,
    attributes: Object.fromEntries(info.typedSearchAttributes.getAll().map((pair) => [pair.key.name, pair.value])),
  });
  return {
    async *list(query: string) {
      for await (const info of client.workflow.list({ query })) yield of(info);
    },
    async describe(workflowId: string) {
      try {
        return of(await client.workflow.getHandle(workflowId).describe());
      } catch (error) {
        if (error instanceof WorkflowNotFoundError) return null;
        throw error;
      }
    },
  };
}

/** Options of {@link checkConsistency}. */
export interface ConsistencyOptions {
  /** Only workflows on this task queue (the deployment's case queue); all case workflows when unset. */
  taskQueue?: string;
  /** Besides open cases, cases whose row changed or whose workflow closed within this many hours. Default 168. */
  recentHours?: number;
  /**
   * A drift found is checked again after this many ms and reported only if it persists: the workflow updates its
   * search attributes a moment before its activity writes the row, so a case in motion disagrees briefly. Default
   * 2000; 0 reports at once.
   */
  settleMs?: number;
  now?: Date;
}

/** What {@link checkConsistency} found. */
export interface ConsistencyReport {
  ok: boolean;
  checkedAt: string;
  /** Cases closed before this instant and not changed since were not compared. */
  since: string;
  /** Projection rows compared, and workflows visibility listed. */
  checkedCases: number;
  checkedWorkflows: number;
  drift: CaseDrift[];
}

const ROW_COLUMNS = `case_no, workflow_id, status, stage, escalation_level, overdue, responsible_unit_id, rules_version,
  category, street_id, district_id`;

interface StoredCase {
  case_no: string;
  workflow_id: string;
  status: string;
  stage: string;
  escalation_level: string;
  overdue: boolean;
  responsible_unit_id: string | null;
  rules_version: string;
  category: string;
  street_id: string | null;
  district_id: string | null;
}

const projected = (row: StoredCase): ProjectedCase => ({
  caseNo: row.case_no,
  workflowId: row.workflow_id,
  status: row.status,
  stage: row.stage,
  escalationLevel: row.escalation_level,
  overdue: row.overdue,
  responsibleUnitId: row.responsible_unit_id,
  rulesVersion: row.rules_version,
  category: row.category,
  streetId: row.street_id,
  districtId: row.district_id,
});

/**
 * Compares the `cases` projection with Temporal's visibility for every open case and every case that changed or
 * closed within the window: a row whose workflow Temporal does not know, a case workflow with no row, and every field
 * on which the two disagree (status, stage, escalation level, overdue, responsible unit, rules version, category,
 * street, district; an open row of a finished workflow). Reads only; repairs nothing.
 */
export async function checkConsistency(
  dataSource: DataSource,
  visibility: VisibilitySource,
  options: ConsistencyOptions = {},
): Promise<ConsistencyReport> {
  const now = options.now ?? new Date();
  const since = new Date(now.getTime() - (options.recentHours ?? 168) * 3600_000);
  const settleMs = options.settleMs ?? 2000;
  const rows = (
    (await dataSource.query(`SELECT ${ROW_COLUMNS} FROM cases WHERE status <> 'closed' OR updated_at >= $1`, [
      since,
    ])) as StoredCase[]
  ).map(projected);

  const queue = options.taskQueue ? ` AND TaskQueue = '${options.taskQueue.replace(/'/g, "''")}'` : '';
  const query =
    `WorkflowType = '${CASE_WORKFLOW_TYPE}'${queue}` +
    ` AND (ExecutionStatus = 'Running' OR CloseTime >= '${since.toISOString()}')`;
  const visible = new Map<string, VisibleCase>();
  for await (const entry of visibility.list(query)) visible.set(entry.workflowId, entry);

  const rowsById = new Map(rows.map((row) => [row.workflowId, row]));
  const unlisted = [...visible.keys()].filter((id) => !rowsById.has(id));
  for (const row of await rowsByWorkflowId(dataSource, unlisted)) rowsById.set(row.workflowId, row);

  const compare = async (workflowId: string, row?: ProjectedCase, seen?: VisibleCase): Promise<CaseDrift | null> => {
    const workflow = seen ?? (await visibility.describe(workflowId));
    if (!row) return workflow ? { workflowId, kind: 'missing-projection' } : null;
    if (!workflow) return { caseNo: row.caseNo, workflowId, kind: 'missing-workflow' };
    const fields = compareCase(row, workflow);
    return fields.length ? { caseNo: row.caseNo, workflowId, kind: 'fields', fields } : null;
  };

  let drift: CaseDrift[] = [];
  const ids = new Set([...rowsById.keys(), ...visible.keys()]);
  for (const workflowId of ids) {
    const found = await compare(workflowId, rowsById.get(workflowId), visible.get(workflowId));
    if (found) drift.push(found);
  }
  if (drift.length && settleMs > 0) {
    await new Promise((resolve) => setTimeout(resolve, settleMs));
    const again = new Map(
      (
        await rowsByWorkflowId(
          dataSource,
          drift.map((d) => d.workflowId),
        )
      ).map((r) => [r.workflowId, r]),
    );
    const settled: CaseDrift[] = [];
    for (const { workflowId } of drift) {
      const found = await compare(workflowId, again.get(workflowId));
      if (found) settled.push(found);
    }
    drift = settled;
  }
  return {
    ok: drift.length === 0,
    checkedAt: now.toISOString(),
    since: since.toISOString(),
    checkedCases: rows.length,
    checkedWorkflows: visible.size,
    drift,
  };
}

async function rowsByWorkflowId(dataSource: DataSource, workflowIds: string[]): Promise<ProjectedCase[]> {
  if (workflowIds.length === 0) return [];
  const rows = (await dataSource.query(`SELECT ${ROW_COLUMNS} FROM cases WHERE workflow_id = ANY($1::text[])`, [
    workflowIds,
  ])) as StoredCase[];
  return rows.map(projected);
}
