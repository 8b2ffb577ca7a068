import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { CaseSubmission, caseWorkflowId } from '../../../../libs/domain/src/case/case.types';
import {
  DuplicateMatch,
  findDuplicate,
  normalizeAddressKey,
  OpenCaseSummary,
  priorityForRepeats,
} from '../../../../libs/domain/src/intake';
import { RepeatContact, repeatContactSignal } from '../../../../workflows/complaint-case/messages';
import { TemporalBound } from '../temporal/temporal-bound';

/** Degrees of latitude that cover the duplicate radius with margin (250 m ≈ 0.00225°). */
const BOX_DEGREES = 0.004;

/** A repeat contact as stored: the open case it was linked to. */
export interface StoredRepeat {
  caseNo: string;
  requestHash: string;
  repeatCount: number;
  matchedBy: DuplicateMatch['matchedBy'];
}

/**
 * Duplicates (重复诉求): finds the open case a new request repeats, keeps what the citizen said in `repeat_contacts`
 * (a duplicate with no new facts opens no case, but nothing submitted is lost), counts the repeat on the open case
 * and tells its workflow, which raises its priority and, with enough repeats, its supervision.
 */
@Injectable()
export class RepeatContactService {
  private readonly logger = new Logger(RepeatContactService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly client: Client,
    private readonly bound: TemporalBound,
  ) {}

  /** The open case of the same category at the same address, within the radius, or in the same grid. */
  async findOpenDuplicate(submission: CaseSubmission): Promise<DuplicateMatch | undefined> {
    const addressKey = submission.address ? normalizeAddressKey(submission.address) : '';
    const point = submission.location;
    const rows = (await this.dataSource.query(
      `SELECT case_no, category, latitude, longitude, grid_id, address, repeat_count FROM cases
        WHERE status <> 'closed' AND category = $1
          AND ((grid_id IS NOT NULL AND grid_id = $2)
            OR (address_key IS NOT NULL AND address_key = $3)
            OR (latitude BETWEEN $4 AND $5 AND longitude BETWEEN $6 AND $7))
        LIMIT 200`,
      [
        submission.category,
        submission.place?.gridId ?? null,
        addressKey || null,
        point ? point.lat - BOX_DEGREES : null,
        point ? point.lat + BOX_DEGREES : null,
        point ? point.lng - BOX_DEGREES * 1.4 : null,
        point ? point.lng + BOX_DEGREES * 1.4 : null,
      ],
    )) as Array<{
      case_no: string;
      category: string;
      latitude: number | null;
      longitude: number | null;
      grid_id: string | null;
      address: string | null;
      repeat_count: number;
    }>;
    const open: OpenCaseSummary[] = rows.map((row) => ({
      caseNo: row.case_no,
      category: row.category,
      point: row.latitude === null || row.longitude === null ? undefined : { lat: row.latitude, lng: row.longitude },
      gridId: row.grid_id ?? undefined,
      address: row.address ?? undefined,
      repeatCount: row.repeat_count,
    }));
    return findDuplicate(open, {
      category: submission.category,
      point: point ? { lat: point.lat, lng: point.lng } : undefined,
      gridId: submission.place?.gridId,
      address: submission.address,
      hasNewFacts: submission.hasNewFacts === true,
    });
  }

  /** A repeat stored earlier under this idempotency key, if any. */
  async findByKey(idempotencyKey: string): Promise<StoredRepeat | undefined> {
    const rows = (await this.dataSource.query(
      `SELECT case_no, request_hash, repeat_count, matched_by FROM repeat_contacts WHERE idempotency_key = $1`,
      [idempotencyKey],
    )) as Array<{ case_no: string; request_hash: string; repeat_count: number; matched_by: StoredRepeat['matchedBy'] }>;
    const row = rows[0];
    return row
      ? { caseNo: row.case_no, requestHash: row.request_hash, repeatCount: row.repeat_count, matchedBy: row.matched_by }
      : undefined;
  }

  /**
   * Counts one more repeat on the open case (atomically) and, for a duplicate with no new facts, stores the contact
   * under its idempotency key. Returns the open case's repeat count including this contact.
   */
  async countRepeat(
    match: DuplicateMatch,
    contact?: { idempotencyKey: string; requestHash: string; submission: CaseSubmission; receivedAt: Date },
  ): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const [updated] = (await manager.query(
        `UPDATE cases SET repeat_count = repeat_count + 1, updated_at = now() WHERE case_no = $1 RETURNING repeat_count`,
        [match.openCase.caseNo],
      )) as [Array<{ repeat_count: number }>, number];
      const repeatCount = updated[0]?.repeat_count ?? match.repeatCount;
      if (contact) {
        await manager.query(
          `INSERT INTO repeat_contacts
             (idempotency_key, case_no, request_hash, payload, matched_by, distance_meters, repeat_count, received_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
          [
            contact.idempotencyKey,
            match.openCase.caseNo,
            contact.requestHash,
            JSON.stringify(contact.submission),
            match.matchedBy,
            match.distanceMeters ?? null,
            repeatCount,
            contact.receivedAt,
          ],
        );
      }
      return repeatCount;
    });
  }

  /**
   * Tells the open case's workflow, within the Temporal bound (intake answers even when Temporal is slow); a failure
   * is logged and retried by {@link signalPending}.
   */
  async signal(openCaseNo: string, repeat: RepeatContact, idempotencyKey?: string): Promise<boolean> {
    try {
      const handle = this.client.workflow.getHandle(caseWorkflowId(openCaseNo));
      await this.bound.run(`repeat signal to case ${openCaseNo}`, () => handle.signal(repeatContactSignal, repeat));
      if (idempotencyKey) {
        await this.dataSource.query(`UPDATE repeat_contacts SET signalled_at = now() WHERE idempotency_key = $1`, [
          idempotencyKey,
        ]);
      }
      return true;
    } catch (error) {
      this.logger.warn(`repeat of case ${openCaseNo} stored; its workflow will hear of it later: ${String(error)}`);
      return false;
    }
  }

  /** Signals repeats stored while Temporal was unreachable. */
  async signalPending(): Promise<void> {
    const pending = (await this.dataSource.query(
      `SELECT idempotency_key, case_no, repeat_count, matched_by FROM repeat_contacts
        WHERE signalled_at IS NULL ORDER BY received_at LIMIT 100`,
    )) as Array<{
      idempotency_key: string;
      case_no: string;
      repeat_count: number;
      matched_by: StoredRepeat['matchedBy'];
    }>;
    for (const row of pending) {
      await this.signal(row.case_no, repeatOf(row.repeat_count, row.matched_by), row.idempotency_key);
    }
  }
}

/** The signal's payload for a repeat count: the priority (and supervision) the count calls for. */
export function repeatOf(repeatCount: number, matchedBy: StoredRepeat['matchedBy'], caseNo?: string): RepeatContact {
  const assessment = priorityForRepeats(repeatCount);
  return {
    repeatCount,
    priority: assessment.priority,
    ...(assessment.supervision ? { supervision: assessment.supervision } : {}),
    matchedBy,
    ...(caseNo ? { caseNo } : {}),
  };
}
