import { Body, Controller, Get, Headers, HttpStatus, Param, Post, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CASE_NO_PATTERN } from '../../../../libs/domain/src/case/case.types';
import type { Actor } from '../../../../libs/domain/src/lifecycle/lifecycle.types';
import { CurrentActor, OptionalActor, Public, RateLimit, Roles } from '../auth/auth.decorators';
import { ApiError, ApiErrorCode } from '../common/api-error';
import { CreateCaseDto, toSubmission } from './case.dto';
import { toCaseResponse } from './case.response';
import { checkIdempotencyKey } from './action-idempotency';
import { CaseService } from './case.service';
import { intakeOutcomes } from '../metrics/metrics';

@ApiTags('cases')
@Controller('api/v1/cases')
export class CaseController {
  constructor(private readonly cases: CaseService) {}

  @Post()
  @Public()
  @RateLimit('intake')
  @ApiOperation({ summary: 'Record a citizen request and start its case' })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Retries with the same key return the same case',
  })
  @ApiResponse({ status: 201, description: 'Case created and its workflow started' })
  @ApiResponse({
    status: 200,
    description:
      'A repeat of an open case with no new facts (status `linked`, no new case), or a replay of an earlier POST ' +
      'with the same Idempotency-Key',
  })
  @ApiResponse({ status: 202, description: 'Stored; its workflow starts as soon as Temporal answers' })
  @ApiResponse({
    status: 400,
    description:
      'Invalid body or header; every problem names its field and rule (a patrol finding filed by anyone but a grid ' +
      'worker, or from a grid not theirs, names `category`, `channel` or `place.gridId`)',
  })
  @ApiResponse({ status: 422, description: 'The Idempotency-Key was already used with a different body' })
  async create(
    @Body() body: CreateCaseDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) response: Response,
    @OptionalActor() filer: Actor | undefined,
  ) {
    const key = checkIdempotencyKey(idempotencyKey);
    const result = await this.cases.submit(toSubmission(body), key, new Date(), filer);
    intakeOutcomes.inc({ outcome: result.replayed ? 'replayed' : result.status });
    response.status(
      result.replayed || result.status === 'linked'
        ? HttpStatus.OK
        : result.status === 'started'
          ? HttpStatus.CREATED
          : HttpStatus.ACCEPTED,
    );
    response.setHeader('Location', `/api/v1/cases/${result.caseNo}`);
    if (result.replayed) response.setHeader('Idempotent-Replayed', 'true');
    return result;
  }

  @Get(':caseNo')
  @Roles('operator', 'handler', 'coordinator', 'auditor', 'admin')
  @ApiOperation({
    summary: 'A case: its record and its live workflow state (handlers and coordinators: cases of their units)',
  })
  @ApiResponse({ status: 404, description: 'No such case' })
  async get(@Param('caseNo') caseNo: string, @CurrentActor() actor: Actor) {
    return toCaseResponse(await this.cases.find(checkCaseNo(caseNo), actor));
  }

  @Get(':caseNo/citizen-contact')
  @Roles('operator', 'handler')
  @ApiOperation({
    summary:
      "The citizen's unmasked contact details: for an operator while the case awaits call-back, for a handler of " +
      'the lead unit while the case is handled (contact and handling); each access is logged',
  })
  @ApiResponse({ status: 403, description: 'A handler of another unit than the lead unit' })
  @ApiResponse({ status: 409, description: 'Not in a phase in which the caller sees the details' })
  async citizenContact(@Param('caseNo') caseNo: string, @CurrentActor() actor: Actor) {
    return this.cases.citizenContact(checkCaseNo(caseNo), actor);
  }
}

function checkCaseNo(caseNo: string): string {
  if (!CASE_NO_PATTERN.test(caseNo)) {
    throw new ApiError(ApiErrorCode.ValidationFailed, 'The request is invalid', [
      { field: 'caseNo', rule: 'format', message: 'caseNo must be 8 date digits followed by a serial of 6+ digits' },
    ]);
  }
  return caseNo;
}
