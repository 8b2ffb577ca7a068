import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { caseWorkflowId } from '../../../../libs/domain/src/case/case.types';
import { auditRowOf } from '../../../../libs/persistence/src/audit';
import { ApiError, ApiErrorCode } from '../common/api-error';
import { TemporalSettings } from '../temporal/temporal.module';
import { AuditSettings, temporalUiUrl } from './audit.settings';
import { HistorySummary, summarizeHistory } from './temporal-history';
import { buildTimeline, TimelineRow, workflowOfRow } from './timeline';

/** One workflow the timeline draws on, and whether Temporal still had its history. */
export interface TimelineWorkflow {
  workflowId: string;
  temporalUiUrl: string;
  historyFound: boolean;
  /** Why the history is missing when Temporal did not answer (a history past retention has no error). */
  error?: string;
}

/** A case's timeline: audit entries merged with Temporal's history of the case and its whistle rounds. */
export interface CaseTimeline {
  caseNo: string;
  workflowId: string;
  namespace: string;
  /** The case workflow in the Temporal Web UI. */
  temporalUiUrl: string;
  /**
   * `temporal+audit-log`: Temporal still has the case's history and its events are merged in;
   * `audit-log-only`: it does not (its retention passed, or Temporal did not answer), see `note`.
   */
  historySource: 'temporal+audit-log' | 'audit-log-only';
  note?: string;
  workflows: TimelineWorkflow[];
  rows: TimelineRow[];
}

/** gRPC NOT_FOUND: the workflow never ran here, or its history was deleted after the namespace's retention. */
const GRPC_NOT_FOUND = 5;

function isNotFound(error: unknown): boolean {
  for (let current = error; current instanceof Error; current = (current as { cause?: unknown }).cause) {
    if (current instanceof WorkflowNotFoundError || (current as { code?: unknown }).code === GRPC_NOT_FOUND) {
      return true;
    }
  }
  return false;
}

/** Builds a case's timeline from the audit log and whatever Temporal still has of the case's workflows. */
@Injectable()
export class TimelineService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly client: Client,
    private readonly temporal: TemporalSettings,
    @Inject(AuditSettings) private readonly settings: AuditSettings,
  ) {}

  async timeline(caseNo: string): Promise<CaseTimeline> {
    const rows = (
      (await this.dataSource.query(
        `SELECT id::text AS id, at, recorded_at, actor, action, subject_kind, subject_id, case_no, case_seq, before,
              after, reason, source, event_ref, update_id, prev_hash, hash, case_prev_hash, case_hash
         FROM audit_log WHERE case_no = $1 ORDER BY case_seq`,
        [caseNo],
      )) as Parameters<typeof auditRowOf>[0][]
    ).map(auditRowOf);
    const workflowId = caseWorkflowId(caseNo);
    const caseHistory = await this.history(workflowId);
    const childIds = new Set<string>([
      ...rows.map(workflowOfRow).filter((id): id is string => id !== null && id !== workflowId),
      ...(caseHistory.summary?.children ?? []),
    ]);
    const children = await Promise.all([...childIds].sort().map((id) => this.history(id)));
    if (rows.length === 0 && !caseHistory.summary && !(await this.caseExists(caseNo))) {
      throw new ApiError(ApiErrorCode.CaseNotFound, `No case ${caseNo} in the audit log or in Temporal`);
    }
    const fetched = [caseHistory, ...children];
    const summaries = fetched.map((entry) => entry.summary).filter((entry): entry is HistorySummary => !!entry);
    const ui = (id: string) => temporalUiUrl(this.settings.temporalUiUrl, this.temporal.namespace, id);
    const timeline: CaseTimeline = {
      caseNo,
      workflowId,
      namespace: this.temporal.namespace,
      temporalUiUrl: ui(workflowId),
      historySource: caseHistory.summary ? 'temporal+audit-log' : 'audit-log-only',
      workflows: fetched.map((entry) => ({
        workflowId: entry.workflowId,
        temporalUiUrl: ui(entry.workflowId),
        historyFound: entry.summary !== undefined,
        ...(entry.error ? { error: entry.error } : {}),
      })),
      rows: buildTimeline(rows, summaries),
    };
    if (!caseHistory.summary) {
      timeline.note = caseHistory.error
        ? `Temporal did not answer (${caseHistory.error}): this timeline comes from the audit log alone, ` +
          'without Temporal event ids.'
        : `Temporal no longer has the history of ${workflowId} (its namespace's retention period has passed, or it ` +
          'never ran on this cluster): this timeline comes from the audit log alone, without Temporal event ids.';
    }
    return timeline;
  }

  /** A workflow's history, summarised; none when Temporal no longer has it (or did not answer: then `error`). */
  private async history(workflowId: string): Promise<{ workflowId: string; summary?: HistorySummary; error?: string }> {
    try {
      const history = await this.client.workflow.getHandle(workflowId).fetchHistory();
      return { workflowId, summary: summarizeHistory(workflowId, history.events ?? []) };
    } catch (error) {
      if (isNotFound(error)) return { workflowId };
      return { workflowId, error: (error as Error).message };
    }
  }

  private async caseExists(caseNo: string): Promise<boolean> {
    const rows = (await this.dataSource.query(
      `SELECT 1 FROM cases WHERE case_no = $1 UNION ALL SELECT 1 FROM intake_requests WHERE case_no = $1 LIMIT 1`,
      [caseNo],
    )) as unknown[];
    return rows.length > 0;
  }
}
