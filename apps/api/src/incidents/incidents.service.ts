import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import { DataSource } from 'typeorm';
import type { Actor } from '../../../../libs/domain/src/lifecycle/lifecycle.types';
import { appendAudit } from '../../../../libs/persistence/src/audit';
import { resolveIncidentSignal, retryIncidentsSignal } from '../../../../workflows/complaint-case/messages';
import { ApiError, ApiErrorCode } from '../common/api-error';
import { TemporalBound } from '../temporal/temporal-bound';
import { IncidentView } from './incidents.dto';

interface IncidentRow {
  id: string;
  case_no: string;
  workflow_id: string;
  incident_key: string;
  step: string;
  error_type: string;
  message: string;
  status: string;
  failures: number;
  raised_at: Date;
  last_failed_at: Date;
  resolved_at: Date | null;
  resolved_by: string | null;
  resolution: string | null;
}

/**
 * Incidents: steps of a case that failed for a reason retries cannot fix, raised by the case workflow (which goes on
 * answering). Listed for operators and admins; an admin retries them after a fix (the workflow writes the step
 * again and resolves the incident when it succeeds) or resolves one by hand, on the record.
 */
@Injectable()
export class IncidentsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly client: Client,
    private readonly bound: TemporalBound,
  ) {}

  async list(status?: string): Promise<IncidentView[]> {
    const rows = (await this.dataSource.query(
      status
        ? `SELECT * FROM incidents WHERE status = $1 ORDER BY raised_at DESC, id DESC LIMIT 500`
        : `SELECT * FROM incidents WHERE status <> 'resolved' ORDER BY raised_at DESC, id DESC LIMIT 500`,
      status ? [status] : [],
    )) as IncidentRow[];
    return rows.map(toView);
  }

  /** Asks the case to write its failed steps again; the incident shows `retrying` until the workflow settles it. */
  async retry(id: string, actor: Actor): Promise<IncidentView> {
    const row = await this.open(id);
    try {
      await this.bound.run(`retry of incident ${id}`, () =>
        this.client.workflow.getHandle(row.workflow_id).signal(retryIncidentsSignal),
      );
    } catch (error) {
      // A workflow that has ended cannot write the step again: nothing was changed, and only a resolve is left.
      if (error instanceof WorkflowNotFoundError) {
        throw new ApiError(
          ApiErrorCode.ActionRefused,
          `WrongState: the workflow ${row.workflow_id} of incident ${id} has ended, so nothing can write the step ` +
            `again; resolve the incident with a reason instead`,
        );
      }
      throw error;
    }
    const [updated] = (await this.dataSource.query(
      `UPDATE incidents SET status = 'retrying' WHERE id = $1 AND status = 'open' RETURNING *`,
      [id],
    )) as [IncidentRow[], number];
    await this.audit(row, 'incident.retried', actor, 'retry after a fix');
    return toView(updated[0] ?? row);
  }

  /** Closes an incident by hand (the failed step is dropped), audited with the admin's reason. */
  async resolve(id: string, reason: string, actor: Actor): Promise<IncidentView> {
    const row = await this.open(id);
    const updated = await this.dataSource.transaction(async (manager) => {
      const [rows] = (await manager.query(
        `UPDATE incidents SET status = 'resolved', resolved_at = now(), resolved_by = $2, resolution = $3
         WHERE id = $1 AND status <> 'resolved' RETURNING *`,
        [id, actor.userId, reason],
      )) as [IncidentRow[], number];
      if (!rows[0]) throw new ConflictException(`incident ${id} was resolved meanwhile`);
      await appendAudit(manager, [auditEntry(row, 'incident.resolved', actor, reason)]);
      return rows[0];
    });
    // The workflow drops the failed write; a case whose workflow is gone has nothing to drop.
    await this.bound
      .run(`resolve of incident ${id}`, () =>
        this.client.workflow.getHandle(row.workflow_id).signal(resolveIncidentSignal, { key: row.incident_key }),
      )
      .catch(() => undefined);
    return toView(updated);
  }

  private async open(id: string): Promise<IncidentRow> {
    if (!/^\d{1,18}$/.test(id)) throw new NotFoundException(`no incident ${id}`);
    const [row] = (await this.dataSource.query(`SELECT * FROM incidents WHERE id = $1`, [id])) as IncidentRow[];
    if (!row) throw new NotFoundException(`no incident ${id}`);
    if (row.status === 'resolved') throw new ConflictException(`incident ${id} is resolved`);
    return row;
  }

  private async audit(row: IncidentRow, action: string, actor: Actor, reason: string): Promise<void> {
    await this.dataSource.transaction((manager) => appendAudit(manager, [auditEntry(row, action, actor, reason)]));
  }
}

function auditEntry(row: IncidentRow, action: string, actor: Actor, reason: string) {
  return {
    at: new Date(),
    actor: { userId: actor.userId, role: actor.role, unitId: actor.unitId ?? null },
    action,
    subject: { kind: 'incident', id: String(row.id) },
    caseNo: row.case_no,
    after: { step: row.step, key: row.incident_key },
    reason,
    source: 'api' as const,
  };
}

function toView(row: IncidentRow): IncidentView {
  const iso = (value: Date | null) => (value ? new Date(value).toISOString() : null);
  return {
    id: String(row.id),
    caseNo: row.case_no,
    workflowId: row.workflow_id,
    step: row.step,
    key: row.incident_key,
    errorType: row.error_type,
    message: row.message,
    status: row.status,
    failures: row.failures,
    raisedAt: new Date(row.raised_at).toISOString(),
    lastFailedAt: new Date(row.last_failed_at).toISOString(),
    resolvedAt: iso(row.resolved_at),
    resolvedBy: row.resolved_by,
    resolution: row.resolution,
  };
}
