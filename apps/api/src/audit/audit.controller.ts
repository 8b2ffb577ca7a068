import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CASE_NO_PATTERN } from '../../../../libs/domain/src/case/case.types';
import { Roles } from '../auth/auth.decorators';
import { ApiError, ApiErrorCode } from '../common/api-error';
import { CaseSearchQueryDto, ConsistencyQueryDto, TimelineQueryDto, VerifyQueryDto } from './audit.dto';
import { AuditService } from './audit.service';
import { csvHeader, csvRecord } from './csv';
import { LIFECYCLE_CSV_COLUMNS, lifecycleCsvCells } from './case-search';
import { TimelineService } from './timeline.service';
import { TIMELINE_CSV_COLUMNS, timelineCsvCells } from './timeline';

function checkCaseNo(caseNo: string): string {
  if (!CASE_NO_PATTERN.test(caseNo)) {
    throw new ApiError(ApiErrorCode.ValidationFailed, 'The request is invalid', [
      { field: 'caseNo', rule: 'format', message: 'caseNo must be 8 date digits followed by a serial of 6+ digits' },
    ]);
  }
  return caseNo;
}

/**
 * What auditors (督查) and admins read: a case's full timeline (audit log + Temporal history) as JSON or CSV, the
 * verification of the audit log's hash chains, the case search and lifecycle export, and the consistency check of
 * the projection against Temporal. Read-only.
 */
@ApiTags('audit')
@ApiBearerAuth()
@Roles('auditor', 'admin')
@Controller('api/v1/audit')
export class AuditController {
  constructor(
    private readonly audit: AuditService,
    private readonly timelines: TimelineService,
  ) {}

  @Get('cases/:caseNo/timeline')
  @ApiOperation({ summary: "A case's timeline: audit entries merged with its Temporal history (JSON or CSV)" })
  @ApiProduces('application/json', 'text/csv')
  @ApiResponse({ status: 404, description: 'Neither the audit log nor Temporal knows the case' })
  async timeline(
    @Param('caseNo') caseNo: string,
    @Query() query: TimelineQueryDto,
    @Res({ passthrough: true }) response: Response,
  ) {
    const timeline = await this.timelines.timeline(checkCaseNo(caseNo));
    if (query.format !== 'csv') return timeline;
    response.setHeader('Content-Type', 'text/csv; charset=utf-8');
    response.setHeader('Content-Disposition', `attachment; filename="case-${timeline.caseNo}-timeline.csv"`);
    response.setHeader('X-History-Source', timeline.historySource);
    response.setHeader('X-Temporal-Ui-Url', timeline.temporalUiUrl);
    return csvHeader(TIMELINE_CSV_COLUMNS) + timeline.rows.map((row) => csvRecord(timelineCsvCells(row))).join('');
  }

  @Get('verify')
  @ApiOperation({ summary: "Recompute the audit log's hash chains; the first broken link, if any" })
  verify(@Query() query: VerifyQueryDto) {
    return this.audit.verify(query.caseNo);
  }

  @Get('cases')
  @ApiOperation({ summary: 'Search cases (no personal data): time window, unit, status, category, levels, version' })
  search(@Query() query: CaseSearchQueryDto) {
    return this.audit.search(query);
  }

  @Get('cases.csv')
  @ApiOperation({ summary: 'Lifecycle CSV of every matching case: dates of each step, overdue flags, unit, place' })
  @ApiProduces('text/csv')
  async lifecycleCsv(@Query() query: CaseSearchQueryDto, @Res() response: Response): Promise<void> {
    response.status(200);
    response.setHeader('Content-Type', 'text/csv; charset=utf-8');
    response.setHeader('Content-Disposition', 'attachment; filename="cases-lifecycle.csv"');
    response.write(csvHeader(LIFECYCLE_CSV_COLUMNS));
    for await (const page of this.audit.exportAll(query)) {
      response.write(page.map((row) => csvRecord(lifecycleCsvCells(row))).join(''));
    }
    response.end();
  }

  @Get('consistency')
  @ApiOperation({ summary: "Drift between the cases projection and Temporal's visibility (open and recent cases)" })
  consistency(@Query() query: ConsistencyQueryDto) {
    return this.audit.consistency(query.recentHours);
  }
}
