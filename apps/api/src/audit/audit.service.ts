import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client } from '@temporalio/client';
import { DataSource } from 'typeorm';
import {
  AuditVerification,
  checkConsistency,
  ConsistencyReport,
  temporalVisibility,
  verifyAuditLog,
} from '../../../../libs/persistence/src/audit';
import { TemporalSettings } from '../temporal/temporal.module';
import type { AuditCasePage, AuditCaseRow, CaseSearchQueryDto } from './audit.dto';
import {
  CASE_SEARCH_COLUMNS,
  caseSearchWhere,
  decodeCursor,
  encodeCursor,
  SearchCursor,
  StoredCaseRow,
  toAuditCaseRow,
} from './case-search';

/** Rows read per query when exporting every match. */
const EXPORT_PAGE = 1000;

/**
 * What auditors ask of the database and of Temporal besides timelines: verification of the audit log's hash chains,
 * the case search over the projection (no personal data), the lifecycle export, and the consistency check between
 * the projection and Temporal's visibility.
 */
@Injectable()
export class AuditService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly client: Client,
    private readonly temporal: TemporalSettings,
  ) {}

  /** Recomputes the hash chains: the whole log, or one case's chain. */
  verify(caseNo?: string): Promise<AuditVerification> {
    return verifyAuditLog(this.dataSource, { caseNo });
  }

  /** One page of the cases matching the filters, oldest received first. */
  async search(query: CaseSearchQueryDto): Promise<AuditCasePage> {
    const limit = query.limit ?? 50;
    const items = await this.page(query, query.cursor ? decodeCursor(query.cursor) : undefined, limit + 1);
    if (items.length <= limit) return { items };
    const page = items.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page, nextCursor: encodeCursor({ receivedAt: last.receivedAt, caseNo: last.caseNo }) };
  }

  /** Every case matching the filters (the cursor and limit ignored), oldest received first, a page at a time. */
  async *exportAll(query: CaseSearchQueryDto): AsyncGenerator<AuditCaseRow[]> {
    let cursor: SearchCursor | undefined;
    for (;;) {
      const page = await this.page(query, cursor, EXPORT_PAGE);
      if (page.length) yield page;
      if (page.length < EXPORT_PAGE) return;
      const last = page[page.length - 1];
      cursor = { receivedAt: last.receivedAt, caseNo: last.caseNo };
    }
  }

  /** Drift between the `cases` projection and Temporal's visibility (this deployment's task queue). */
  consistency(recentHours?: number): Promise<ConsistencyReport> {
    return checkConsistency(this.dataSource, temporalVisibility(this.client), {
      recentHours,
      taskQueue: this.temporal.taskQueue,
    });
  }

  private async page(query: CaseSearchQueryDto, cursor: SearchCursor | undefined, limit: number) {
    const { where, params } = caseSearchWhere(query, cursor);
    const rows = (await this.dataSource.query(
      `SELECT ${CASE_SEARCH_COLUMNS} FROM cases c ${where} ORDER BY c.received_at, c.case_no LIMIT ${limit}`,
      params,
    )) as StoredCaseRow[];
    return rows.map(toAuditCaseRow);
  }
}
