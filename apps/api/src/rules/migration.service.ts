import { ConflictException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client } from '@temporalio/client';
import { DataSource } from 'typeorm';
import type { Urgency } from '../../../../libs/domain/src/case/case.types';
import { toLifecycleRules } from '../../../../libs/domain/src/rules';
import { appendAudit, AuditEntry } from '../../../../libs/persistence/src/audit';
import type { Principal } from '../auth/auth.decorators';
import { CaseActionService } from '../cases/case-action.service';
import { ApiError, ApiErrorCode } from '../common/api-error';
import { RulesService } from './rules.service';

/** Which open cases a migration takes. Every given field must match. */
export interface MigrationFilter {
  /** The version the case is pinned to now. */
  fromVersion?: string;
  /** The case's status (`registered`, `open`) or phase (`awaiting-sign`, `handling`, …). */
  status?: string;
  /** The lead or the responsible (coordinating) unit. */
  unitId?: string;
  districtId?: string;
}

/** Why a matched case did not move. */
export interface SkippedCase {
  caseNo: string;
  /** `already-on-version`, `outside-scope`, `unknown-category`, `closed-meanwhile`, `refused`, `no-workflow`, `engine`. */
  code: string;
  reason: string;
}

/** What a migration did, as recorded in `rule_migrations`. */
export interface MigrationReport {
  id: string;
  toVersion: string;
  filter: MigrationFilter;
  reason: string;
  requestedBy: { userId: string; username: string; role: string; unitId: string };
  status: 'running' | 'finished' | 'failed';
  startedAt: string;
  finishedAt: string | null;
  matched: number | null;
  moved: number | null;
  skipped: SkippedCase[] | null;
}

/** What a migration with a filter would take: how many open cases, and the first case numbers. */
export interface MigrationPreview {
  matched: number;
  caseNos: string[];
}

/** Case numbers a preview lists. */
const PREVIEW_CASES = 20;
/** Open cases a migration takes; more must be narrowed by the filter. */
const MAX_CASES = 5000;
/** Audit actions of a migration run (docs/auditors.md, "Actions through the API"). */
export const MIGRATION_AUDIT_ACTIONS = {
  started: 'rules.migration-started',
  finished: 'rules.migration-finished',
  failed: 'rules.migration-failed',
} as const;

/** Cases migrated at once. */
const CONCURRENCY = 4;
/** How long one case's workflow has to take the Update (a case whose worker is down must not stall the rest). */
const UPDATE_TIMEOUT_MS = 15_000;

interface CaseRow {
  caseNo: string;
  rulesVersion: string;
  category: string;
  urgency: Urgency;
  districtId: string | null;
}

/**
 * Moves open cases to a newer published version, a designer's explicit action: each matching case gets the
 * `migrateRules` Update (the actor from the token, the new lifecycle rules and the case's sign / contact / handle
 * limits under the new catalogue); the workflow takes it at a safe point (between actions), recomputes every pending
 * deadline the new rules change and records `rules-migrated` with the actor (audited as a case event). The migration
 * itself (who, when, why, filter, result) is recorded in `rule_migrations`, and each of its two writes with its audit
 * entry in the same transaction: `rules.migration-started` (version, filter, reason) when it starts,
 * `rules.migration-finished` (matched, moved, skipped) or `rules.migration-failed` when it ends.
 */
@Injectable()
export class MigrationService {
  private readonly logger = new Logger(MigrationService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly rules: RulesService,
    private readonly actions: CaseActionService,
    private readonly client: Client,
  ) {}

  async migrate(
    request: { toVersion: string; filter: MigrationFilter; reason: string },
    principal: Principal,
  ): Promise<MigrationReport> {
    const version = await this.rules.version(request.toVersion);
    if (version.archivedAt) throw new ConflictException(`Version ${version.label} is archived: publish a new one`);
    const definition = version.document;
    const lifecycleRules = toLifecycleRules(definition);
    const { actor } = principal;
    const requestedBy = { userId: actor.userId, username: principal.username, role: actor.role, unitId: actor.unitId };
    // Before anything is written: a filter matching too many cases is refused (400) with nothing recorded.
    const cases = await this.matching(request.filter);
    const entry = (id: string, action: string, change: Pick<AuditEntry, 'before' | 'after'>): AuditEntry => ({
      at: new Date(),
      actor,
      action,
      subject: { kind: 'rule-migration', id },
      ...change,
      reason: request.reason,
      source: 'api',
    });
    const id = await this.dataSource.transaction(async (manager) => {
      const [row] = (await manager.query(
        `INSERT INTO rule_migrations (to_version, filter, reason, requested_by) VALUES ($1, $2, $3, $4) RETURNING id`,
        [version.label, JSON.stringify(request.filter), request.reason, JSON.stringify(requestedBy)],
      )) as { id: string }[];
      await appendAudit(manager, [
        entry(row.id, MIGRATION_AUDIT_ACTIONS.started, {
          after: { status: 'running', toVersion: version.label, filter: request.filter },
        }),
      ]);
      return row.id;
    });

    try {
      const skipped: SkippedCase[] = [];
      let moved = 0;
      const migrateOne = async (row: CaseRow): Promise<void> => {
        const skip = (code: string, reason: string) => skipped.push({ caseNo: row.caseNo, code, reason });
        if (row.rulesVersion === version.label) return void skip('already-on-version', `already on ${version.label}`);
        const districtId = version.scope.districtId;
        if (districtId && row.districtId !== districtId) {
          return void skip('outside-scope', `${version.label} is published for ${districtId}, not ${row.districtId}`);
        }
        const category = definition.routing.categories.find((candidate) => candidate.id === row.category);
        if (!category) {
          return void skip('unknown-category', `${version.label}'s catalogue has no category ${row.category}`);
        }
        try {
          await this.client.withDeadline(Date.now() + UPDATE_TIMEOUT_MS, () =>
            this.actions.act(
              row.caseNo,
              {
                type: 'migrateRules',
                toVersion: version.label,
                rules: lifecycleRules,
                deadlines: { ...category.deadlines[row.urgency] },
                reason: request.reason,
              },
              actor,
            ),
          );
          // The projection activity does not carry the version: keep the row's pin in step with the workflow's.
          await this.dataSource.query(`UPDATE cases SET rules_version = $2, updated_at = now() WHERE case_no = $1`, [
            row.caseNo,
            version.label,
          ]);
          moved += 1;
        } catch (error) {
          const [code, reason] = skipReason(error);
          skip(code, reason);
        }
      };
      for (let i = 0; i < cases.length; i += CONCURRENCY) {
        await Promise.all(cases.slice(i, i + CONCURRENCY).map(migrateOne));
      }
      skipped.sort((a, b) => (a.caseNo < b.caseNo ? -1 : a.caseNo > b.caseNo ? 1 : 0));
      await this.dataSource.transaction(async (manager) => {
        await manager.query(
          `UPDATE rule_migrations SET status = 'finished', finished_at = now(), matched = $2, moved = $3, skipped = $4
           WHERE id = $1`,
          [id, cases.length, moved, JSON.stringify(skipped)],
        );
        await appendAudit(manager, [
          entry(id, MIGRATION_AUDIT_ACTIONS.finished, {
            before: { status: 'running' },
            after: {
              status: 'finished',
              matched: cases.length,
              moved,
              skipped: skipped.map(({ caseNo, code }) => ({ caseNo, code })),
            },
          }),
        ]);
      });
    } catch (error) {
      this.logger.error(`migration ${id} to ${version.label} failed: ${String(error)}`);
      const message = (error as Error).message ?? String(error);
      await this.dataSource.transaction(async (manager) => {
        await manager.query(
          `UPDATE rule_migrations SET status = 'failed', finished_at = now(), error = $2 WHERE id = $1`,
          [id, message],
        );
        await appendAudit(manager, [
          entry(id, MIGRATION_AUDIT_ACTIONS.failed, {
            before: { status: 'running' },
            after: { status: 'failed', error: message },
          }),
        ]);
      });
      throw error;
    }
    return this.find(id);
  }

  /**
   * How many open cases a migration with this filter would take, and the first case numbers, without moving any
   * (the designer's preview before migrating). @throws ApiError 400 `too-many-cases` as `migrate` does.
   */
  async preview(filter: MigrationFilter): Promise<MigrationPreview> {
    const cases = await this.matching(filter);
    return { matched: cases.length, caseNos: cases.slice(0, PREVIEW_CASES).map((row) => row.caseNo) };
  }

  /** One migration as recorded. @throws NotFoundException */
  async find(id: string): Promise<MigrationReport> {
    const rows = /^[0-9a-f-]{36}$/i.test(id) ? await this.select(`WHERE id = $1`, [id]) : [];
    if (!rows[0]) throw new NotFoundException(`No migration ${id}`);
    return rows[0];
  }

  /** The latest migrations, newest first. */
  list(): Promise<MigrationReport[]> {
    return this.select(`ORDER BY started_at DESC LIMIT 100`, []);
  }

  private async select(where: string, params: unknown[]): Promise<MigrationReport[]> {
    const rows = (await this.dataSource.query(
      `SELECT id, to_version AS "toVersion", filter, reason, requested_by AS "requestedBy", status,
         started_at AS "startedAt", finished_at AS "finishedAt", matched, moved, skipped
       FROM rule_migrations ${where}`,
      params,
    )) as (Omit<MigrationReport, 'startedAt' | 'finishedAt'> & { startedAt: Date; finishedAt: Date | null })[];
    return rows.map((row) => ({
      ...row,
      startedAt: row.startedAt.toISOString(),
      finishedAt: row.finishedAt?.toISOString() ?? null,
    }));
  }

  /** Open cases matching the filter, by case number. */
  private async matching(filter: MigrationFilter): Promise<CaseRow[]> {
    const rows = (await this.dataSource.query(
      `SELECT case_no AS "caseNo", rules_version AS "rulesVersion", category, urgency, district_id AS "districtId"
       FROM cases
       WHERE status <> 'closed'
         AND ($1::text IS NULL OR rules_version = $1)
         AND ($2::text IS NULL OR status = $2 OR phase = $2)
         AND ($3::text IS NULL OR lead_unit_id = $3 OR responsible_unit_id = $3)
         AND ($4::text IS NULL OR district_id = $4)
       ORDER BY case_no
       LIMIT ${MAX_CASES + 1}`,
      [filter.fromVersion ?? null, filter.status ?? null, filter.unitId ?? null, filter.districtId ?? null],
    )) as CaseRow[];
    if (rows.length > MAX_CASES) {
      throw new ApiError(ApiErrorCode.ValidationFailed, 'The request is invalid', [
        {
          field: 'filter',
          rule: 'too-many-cases',
          message: `more than ${MAX_CASES} open cases match: narrow the filter (version, status, unit, district)`,
        },
      ]);
    }
    return rows;
  }
}

/** A skip code and a plain reason for a case the workflow did not move. */
function skipReason(error: unknown): [string, string] {
  if (error instanceof ApiError) {
    switch (error.code) {
      case ApiErrorCode.CaseClosed:
        return ['closed-meanwhile', error.message];
      case ApiErrorCode.CaseNotFound:
        return ['no-workflow', error.message];
      case ApiErrorCode.EngineUnavailable:
        return ['engine', `${error.message} (within ${UPDATE_TIMEOUT_MS / 1000} s; it may still take it later)`];
      default:
        return ['refused', error.message];
    }
  }
  return ['engine', (error as Error)?.message ?? String(error)];
}
