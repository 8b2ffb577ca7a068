import { Controller, Get, Param } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CASE_NO_PATTERN } from '../../../../libs/domain/src/case/case.types';
import { CaseEntity, IntakeRequestEntity } from '../../../../libs/persistence/src';
import { Public, RateLimit } from '../auth/auth.decorators';
import { ApiError, ApiErrorCode } from '../common/api-error';

/**
 * Progress of a case for the citizen who holds its number. Open to anyone, so it shows only what the number alone
 * may reveal: status, stage, category and dates. Never the citizen, the description, the address, the location or
 * the units handling it.
 */
@ApiTags('public')
@Controller('api/v1/public/cases')
export class PublicCaseController {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @Get(':caseNo')
  @Public()
  // Case numbers are sequential: anonymous lookups get the anonymous intake limit per address, so nobody walks them.
  @RateLimit('intake')
  @ApiOperation({ summary: 'Public progress of a case by its number (no personal data)' })
  @ApiResponse({ status: 404, description: 'No such case' })
  async get(@Param('caseNo') caseNo: string) {
    if (!CASE_NO_PATTERN.test(caseNo)) {
      throw new ApiError(ApiErrorCode.ValidationFailed, 'The request is invalid', [
        { field: 'caseNo', rule: 'format', message: 'caseNo must be 8 date digits followed by a serial of 6+ digits' },
      ]);
    }
    const intake = await this.dataSource.getRepository(IntakeRequestEntity).findOneBy({ caseNo });
    if (!intake) throw new ApiError(ApiErrorCode.CaseNotFound, `No case ${caseNo}`);
    const record = await this.dataSource.getRepository(CaseEntity).findOneBy({ caseNo });
    return toPublicCaseResponse(intake, record);
  }
}

/** The public view: an allow-list of fields, so a column added to `cases` later is not published by accident. */
export function toPublicCaseResponse(intake: IntakeRequestEntity, record: CaseEntity | null) {
  const iso = (value: Date | null | undefined) => (value ? value.toISOString() : null);
  return {
    caseNo: intake.caseNo,
    status: record?.status ?? 'received',
    stage: record?.stage ?? 'intake',
    category: record?.category ?? intake.payload.category ?? null,
    dates: {
      receivedAt: intake.receivedAt.toISOString(),
      dispatchedAt: iso(record?.dispatchedAt),
      signedAt: iso(record?.signedAt),
      repliedAt: iso(record?.repliedAt),
      calledBackAt: iso(record?.calledBackAt),
      closedAt: iso(record?.closedAt),
    },
  };
}
