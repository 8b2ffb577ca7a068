import { Injectable, Logger, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PostgresCalendarSource } from '../../../../libs/persistence/src/calendar/calendar-source';
import type { Urgency } from '../../../../libs/domain/src/case/case.types';
import type { EscalationLevel } from '../../../../libs/domain/src/lifecycle/lifecycle.types';
import type { OrgTree } from '../../../../libs/domain/src/org/org.types';
import type { ProcessDefinition } from '../../../../libs/domain/src/rules';
import { OrgTreeSource } from '../../../../libs/persistence/src/org/org-tree-source';
import type { Principal } from '../auth/auth.decorators';
import { ApiError, ApiErrorCode } from '../common/api-error';
import { RulesService } from './rules.service';
import { addToTotals, CaseComparison, compareCase, emptyTotals, RecordedCase, WhatIfTotals } from './what-if';
import {
  compareScores,
  recordedScoreFacts,
  ScoreComparison,
  ScoredCase,
  scoreFactsOf,
  ScoreFactsRow,
} from './what-if-scores';

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
  /** The 三率 scores of the sampled cases, unit by unit; `leftOut`: compared cases that could not be scored. */
  scores: ScoreComparison & { leftOut: { caseNo: string; reason: string }[] };
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

/** A `cases` row with the score facts of its events. */
interface CaseRow extends ScoreFactsRow {
  urgency: Urgency;
  gridId: string | null;
  communityId: string | null;
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
/** Minutes without progress after which a queued or running what-if job counts as interrupted. */
const STALLED_MINUTES = 10;

@Injectable()
export class WhatIfService {
  private readonly logger = new Logger(WhatIfService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly rules: RulesService,
    private readonly calendars: PostgresCalendarSource,
    private readonly trees: OrgTreeSource,
  ) {}

  /**
   * Starts a job for a draft (`draftId`, which must be valid) or a published version; answers at once.
   * @throws ApiError ValidationFailed with every error of an invalid draft.
   */
  async start(request: { draftId?: string; version?: string; sample: WhatIfSample }, principal: Principal) {
    const subject = request.draftId ? `draft:${request.draftId}` : request.version!;
    const document = await this.rules.documentOf(subject, request.draftId ? 'draftId' : 'version');
    const validation = await this.rules.validate(document);
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

  /**
   * A job and its progress. A job that made no progress for {@link STALLED_MINUTES} minutes was cut off (its API
   * stopped while running it): it is marked failed, so nobody waits on it forever.
   * @throws NotFoundException for an unknown job id.
   */
  async find(jobId: string): Promise<WhatIfJobView> {
    const known = /^[0-9a-f-]{36}$/i.test(jobId);
    if (known) {
      await this.dataSource.query(
        `UPDATE what_if_jobs SET status = 'failed', finished_at = now(), updated_at = now(),
           error = 'interrupted: no progress for ${STALLED_MINUTES} minutes (the API running it stopped); start it again'
         WHERE id = $1 AND status IN ('queued', 'running') AND updated_at < now() - interval '${STALLED_MINUTES} minutes'`,
        [jobId],
      );
    }
    const rows = known
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
      // One tree for the whole job, so that every case is compared on the same org tree.
      const tree = await this.trees.current();
      const context = { tree, calendar, now: new Date().toISOString() };
      const pinned = new Map<string, ProcessDefinition | undefined>();
      const totals = emptyTotals();
      const differing: CaseComparison[] = [];
      const errors: WhatIfReport['errors'] = [];
      const scored: ScoredCase[] = [];
      const leftOut: WhatIfReport['errors'] = [];
      for (let i = 0; i < caseNos.length; i += BATCH) {
        for (const recorded of await this.load(caseNos.slice(i, i + BATCH), tree)) {
          try {
            if (!pinned.has(recorded.rulesVersion)) {
              pinned.set(recorded.rulesVersion, await this.versionDocument(recorded.rulesVersion));
            }
            const before = pinned.get(recorded.rulesVersion);
            if (!before) throw new Error(`its version ${recorded.rulesVersion} is not stored`);
            const comparison = compareCase(recorded, before, draft, context);
            addToTotals(totals, comparison);
            if (comparison.differs) differing.push(comparison);
            try {
              const facts = scoreFactsOf(recorded, before, draft, calendar);
              if (facts) scored.push(facts);
            } catch (error) {
              leftOut.push({ caseNo: recorded.caseNo, reason: (error as Error).message });
            }
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
        scores: { ...compareScores(scored, definitionsOf(pinned), draft, context.now), leftOut },
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

  /**
   * The recorded cases with their climbs of the ladder (`escalated` events of the case stream) and what the monthly
   * scores read of them: the first dispatch, the lead unit's first sign and contact after the last dispatch, the final
   * call-back (the `loadMonthFacts` rules).
   */
  private async load(caseNos: string[], tree: OrgTree): Promise<RecordedCase[]> {
    const rows = (await this.dataSource.query(
      `SELECT c.case_no AS "caseNo", c.rules_version AS "rulesVersion", c.kind, c.category, c.urgency,
         c.grid_id AS "gridId", c.community_id AS "communityId", c.street_id AS "streetId",
         c.district_id AS "districtId", c.latitude, c.longitude, c.dispatched_at AS "dispatchedAt",
         c.signed_at AS "signedAt", c.contacted_at AS "contactedAt", c.replied_at AS "repliedAt",
         c.closed_at AS "closedAt", c.received_at AS "receivedAt", c.lead_unit_id AS "leadUnitId",
         u.kind AS "leadUnitKind", c.outcome, c.linked_case_no AS "linkedCaseNo", c.repeat_count AS "repeatCount",
         d.first_at AS "firstDispatchedAt", d.last_at AS "lastDispatchedAt", r.signed_at AS "firstSignedAt",
         r.contacted_at AS "firstContactedAt", cb.at AS "calledBackAt", cb.detail AS callback
       FROM cases c
       LEFT JOIN org_units u ON u.id = c.lead_unit_id
       LEFT JOIN LATERAL (
         SELECT min(e.at) AS first_at, (array_agg(e.at ORDER BY e.seq DESC))[1] AS last_at, max(e.seq) AS last_seq
           FROM case_events e WHERE e.case_no = c.case_no AND e.stream = 'case' AND e.type = 'dispatched') d ON true
       LEFT JOIN LATERAL (
         SELECT min(e.at) FILTER (WHERE e.type = 'signed') AS signed_at,
                min(e.at) FILTER (WHERE e.type = 'contacted') AS contacted_at
           FROM case_events e
          WHERE e.case_no = c.case_no AND e.stream = 'case' AND e.seq > d.last_seq
            AND e.type IN ('signed', 'contacted')) r ON true
       LEFT JOIN LATERAL (
         SELECT e.at, e.detail FROM case_events e
          WHERE e.case_no = c.case_no AND e.stream = 'case' AND e.type = 'called-back'
          ORDER BY e.seq DESC LIMIT 1) cb ON true
       WHERE c.case_no = ANY($1) ORDER BY c.received_at, c.case_no`,
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
        scoring: recordedScoreFacts(row, tree),
      };
    });
  }
}

/** The definitions of the pinned versions that are stored. */
function definitionsOf(pinned: Map<string, ProcessDefinition | undefined>): Map<string, ProcessDefinition> {
  return new Map([...pinned].flatMap(([label, document]) => (document ? [[label, document] as const] : [])));
}
