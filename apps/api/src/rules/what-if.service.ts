import { Injectable, Logger, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PostgresCalendarSource } from '../../../../activities/calendar-source';
import type { CaseKind, Urgency } from '../../../../libs/domain/src/case/case.types';
import type { EscalationLevel } from '../../../../libs/domain/src/lifecycle/lifecycle.types';
import { DEMO_CITY } from '../../../../libs/domain/src/org';
import type { ProcessDefinition } from '../../../../libs/domain/src/rules';
import type { Principal } from '../auth/auth.decorators';
import { ApiError, ApiErrorCode } from '../common/api-error';
import { RulesService } from './rules.service';
import { addToTotals, CaseComparison, compareCase, emptyTotals, RecordedCase, WhatIfTotals } from './what-if';

/** The recorded cases a what-if runs against: the last N received, or those received in [from, to). */
export type WhatIfSample = { last: number } | { from: string; to: string };

/** The report of a finished what-if. */
export interface WhatIfReport {
  subject: string;
  sample: WhatIfSample;
  calendar: { id: string; version: number };
  totals: WhatIfTotals;
  /** Cases where something would differ, by case number. */
  cases: CaseComparison[];
  errors: { caseNo: string; reason: string }[];
}

export interface WhatIfJobView {
  jobId: string;
  subject: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  progress: { done: number; total: number | null };
  requestedBy: string;
  createdAt: string;
  finishedAt: string | null;
  report: WhatIfReport | null;
  error: string | null;
}

/** Cases one job may examine. */
export const MAX_SAMPLE = 20_000;
/** Cases compared between two progress updates (and loaded per query). */
const BATCH = 50;

interface CaseRow {
  caseNo: string;
  rulesVersion: string;
  kind: CaseKind;
  category: string;
  urgency: Urgency;
  gridId: string | null;
  communityId: string | null;
  streetId: string | null;
  districtId: string | null;
  latitude: number | null;
  longitude: number | null;
  dispatchedAt: Date | null;
  signedAt: Date | null;
  contactedAt: Date | null;
  repliedAt: Date | null;
  closedAt: Date | null;
}

/**
 * What-if runs: a draft or a version run against recorded cases (`cases` and their `escalated` events) through the
 * same pure decision functions the workflow uses ({@link compareCase}), in this API process, as a job row whose
 * progress is updated every {@link BATCH} cases. Reads cases, never touches one.
 */
@Injectable()
export class WhatIfService {
  private readonly logger = new Logger(WhatIfService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly rules: RulesService,
    private readonly calendars: PostgresCalendarSource,
  ) {}

  /**
   * Starts a job for a draft (`draftId`, which must be valid) or a published version; answers at once.
   * @throws ApiError ValidationFailed with every error of an invalid draft.
   */
  async start(request: { draftId?: string; version?: string; sample: WhatIfSample }, principal: Principal) {
    const subject = request.draftId ? `draft:${request.draftId}` : request.version!;
    const document = await this.rules.documentOf(subject, request.draftId ? 'draftId' : 'version');
    const validation = this.rules.validate(document);
    if (!validation.ok) {
      throw new ApiError(
        ApiErrorCode.ValidationFailed,
        `The draft has ${validation.errors.length} error(s): fix them before a what-if`,
        validation.errors.map((error) => ({
          field: `document${error.path}`,
          rule: error.rule,
          message: error.message,
        })),
      );
    }
    const [{ id }] = (await this.dataSource.query(
      `INSERT INTO what_if_jobs (subject, document, sample, requested_by) VALUES ($1, $2, $3, $4) RETURNING id`,
      [subject, JSON.stringify(document), JSON.stringify(request.sample), principal.actor.userId],
    )) as { id: string }[];
    // In-process: the job row carries its progress; a restart leaves it 'running' with an old updated_at.
    setImmediate(() => void this.run(id, document as ProcessDefinition, subject, request.sample));
    return { jobId: id, status: 'queued' as const };
  }

  /** @throws NotFoundException for an unknown job id. */
  async find(jobId: string): Promise<WhatIfJobView> {
    const rows = /^[0-9a-f-]{36}$/i.test(jobId)
      ? ((await this.dataSource.query(
          `SELECT id, subject, status, done, total, requested_by AS "requestedBy", created_at AS "createdAt",
             finished_at AS "finishedAt", report, error FROM what_if_jobs WHERE id = $1`,
          [jobId],
        )) as Record<string, unknown>[])
      : [];
    const row = rows[0];
    if (!row) throw new NotFoundException(`No what-if job ${jobId}`);
    return {
      jobId,
      subject: row.subject as string,
      status: row.status as WhatIfJobView['status'],
      progress: { done: row.done as number, total: row.total as number | null },
      requestedBy: row.requestedBy as string,
      createdAt: (row.createdAt as Date).toISOString(),
      finishedAt: (row.finishedAt as Date | null)?.toISOString() ?? null,
      report: row.report as WhatIfReport | null,
      error: row.error as string | null,
    };
  }

  private async run(id: string, draft: ProcessDefinition, subject: string, sample: WhatIfSample): Promise<void> {
    try {
      const caseNos = await this.sampleCases(sample);
      await this.dataSource.query(
        `UPDATE what_if_jobs SET status = 'running', total = $2, updated_at = now() WHERE id = $1`,
        [id, caseNos.length],
      );
      const { calendar, snapshot } = await this.calendars.newest();
      const context = { tree: DEMO_CITY, calendar, now: new Date().toISOString() };
      const pinned = new Map<string, ProcessDefinition | undefined>();
      const totals = emptyTotals();
      const differing: CaseComparison[] = [];
      const errors: WhatIfReport['errors'] = [];
      for (let i = 0; i < caseNos.length; i += BATCH) {
        for (const recorded of await this.load(caseNos.slice(i, i + BATCH))) {
          try {
            if (!pinned.has(recorded.rulesVersion)) {
              pinned.set(recorded.rulesVersion, await this.versionDocument(recorded.rulesVersion));
            }
            const before = pinned.get(recorded.rulesVersion);
            if (!before) throw new Error(`its version ${recorded.rulesVersion} is not stored`);
            const comparison = compareCase(recorded, before, draft, context);
            addToTotals(totals, comparison);
            if (comparison.differs) differing.push(comparison);
          } catch (error) {
            totals.errors += 1;
            errors.push({ caseNo: recorded.caseNo, reason: (error as Error).message });
          }
        }
        const done = Math.min(i + BATCH, caseNos.length);
        await this.dataSource.query(`UPDATE what_if_jobs SET done = $2, updated_at = now() WHERE id = $1`, [id, done]);
      }
      const report: WhatIfReport = {
        subject,
        sample,
        calendar: { id: calendar.id, version: snapshot.version },
        totals,
        cases: differing,
        errors,
      };
      await this.dataSource.query(
        `UPDATE what_if_jobs SET status = 'done', report = $2, finished_at = now(), updated_at = now() WHERE id = $1`,
        [id, JSON.stringify(report)],
      );
    } catch (error) {
      this.logger.error(`what-if ${id} failed: ${String(error)}`);
      await this.dataSource
        .query(
          `UPDATE what_if_jobs SET status = 'failed', error = $2, finished_at = now(), updated_at = now() WHERE id = $1`,
          [id, (error as Error)?.message ?? String(error)],
        )
        .catch((failure: unknown) => this.logger.error(`what-if ${id}: could not record the failure: ${failure}`));
    }
  }

  private async versionDocument(label: string): Promise<ProcessDefinition | undefined> {
    try {
      return (await this.rules.version(label)).document;
    } catch (error) {
      if (error instanceof NotFoundException) return undefined;
      throw error;
    }
  }

  /** Case numbers of the sample, oldest first. */
  private async sampleCases(sample: WhatIfSample): Promise<string[]> {
    const rows = (
      'last' in sample
        ? await this.dataSource.query(
            `SELECT case_no FROM (SELECT case_no, received_at FROM cases ORDER BY received_at DESC, case_no DESC
               LIMIT $1) recent ORDER BY received_at, case_no`,
            [Math.min(sample.last, MAX_SAMPLE)],
          )
        : await this.dataSource.query(
            `SELECT case_no FROM cases WHERE received_at >= $1 AND received_at < $2 ORDER BY received_at, case_no
             LIMIT $3`,
            [sample.from, sample.to, MAX_SAMPLE],
          )
    ) as { case_no: string }[];
    return rows.map((row) => row.case_no);
  }

  /** The recorded cases with their climbs of the ladder (`escalated` events of the case stream). */
  private async load(caseNos: string[]): Promise<RecordedCase[]> {
    const rows = (await this.dataSource.query(
      `SELECT case_no AS "caseNo", rules_version AS "rulesVersion", kind, category, urgency, grid_id AS "gridId",
         community_id AS "communityId", street_id AS "streetId", district_id AS "districtId", latitude, longitude,
         dispatched_at AS "dispatchedAt", signed_at AS "signedAt", contacted_at AS "contactedAt",
         replied_at AS "repliedAt", closed_at AS "closedAt"
       FROM cases WHERE case_no = ANY($1) ORDER BY received_at, case_no`,
      [caseNos],
    )) as CaseRow[];
    const events = (await this.dataSource.query(
      `SELECT case_no AS "caseNo", at, detail FROM case_events
       WHERE case_no = ANY($1) AND stream = 'case' AND type = 'escalated' ORDER BY case_no, seq`,
      [caseNos],
    )) as { caseNo: string; at: Date; detail: { level?: EscalationLevel; reason?: string } }[];
    return rows.map((row) => {
      const iso = (value: Date | null) => value?.toISOString();
      const ids = { gridId: row.gridId, communityId: row.communityId, streetId: row.streetId };
      const place = Object.fromEntries(
        Object.entries({ ...ids, districtId: row.districtId }).filter(([, value]) => value !== null),
      );
      if (Object.keys(place).length === 0 && row.latitude !== null && row.longitude !== null) {
        Object.assign(place, { point: { lat: row.latitude, lng: row.longitude } });
      }
      return {
        caseNo: row.caseNo,
        rulesVersion: row.rulesVersion,
        facts: { kind: row.kind, category: row.category, urgency: row.urgency, place },
        dispatchedAt: iso(row.dispatchedAt),
        signedAt: iso(row.signedAt),
        contactedAt: iso(row.contactedAt),
        resolvedAt: iso(row.repliedAt ?? row.closedAt),
        escalations: events
          .filter((event) => event.caseNo === row.caseNo && event.detail.level)
          .map((event) => ({
            level: event.detail.level!,
            at: event.at.toISOString(),
            byDeadline: /deadline passed$/.test(event.detail.reason ?? ''),
          })),
      };
    });
  }
}
