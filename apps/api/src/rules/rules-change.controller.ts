import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import type { Principal } from '../auth/auth.decorators';
import { ApiError, ApiErrorCode } from '../common/api-error';
import { MigrationService } from './migration.service';
import {
  MigrationPreviewDto,
  MigrationPreviewView,
  StartMigrationDto,
  StartWhatIfDto,
  WhatIfSampleDto,
} from './rules-change.dto';
import { RULES_READERS, RULES_WRITERS } from './rules.controller';
import { WhatIfSample, WhatIfService } from './what-if.service';

/**
 * What reaches beyond drafts and versions: moving open cases to a published version (an explicit designer action,
 * reported case by case and recorded), and what-if runs of a definition against recorded cases (never touching one).
 */
@ApiTags('rules')
@ApiBearerAuth()
@ApiResponse({ status: 403, description: 'Not a designer or admin (actions), or not a designer, auditor or admin' })
@Controller('api/v1/rules')
@Roles(...RULES_READERS)
export class RulesChangeController {
  constructor(
    private readonly migrations: MigrationService,
    private readonly whatIf: WhatIfService,
  ) {}

  @Post('migrations')
  @Roles(...RULES_WRITERS)
  @ApiOperation({ summary: 'Move matching open cases to a published version; reports moved and skipped cases, why' })
  @ApiResponse({ status: 201, description: '{ id, matched, moved, skipped: [{ caseNo, code, reason }], … }' })
  @ApiResponse({ status: 404, description: 'No such published version' })
  @ApiResponse({ status: 409, description: 'The version is archived' })
  migrate(@Body() body: StartMigrationDto, @CurrentPrincipal() principal: Principal) {
    return this.migrations.migrate(body, principal);
  }

  @Post('migrations/preview')
  @HttpCode(200)
  @Roles(...RULES_WRITERS)
  @ApiOperation({ summary: 'How many open cases a migration with this filter would take (moves none)' })
  @ApiResponse({ status: 200, type: MigrationPreviewView })
  @ApiResponse({ status: 400, description: 'A bad filter, or more open cases than one migration takes' })
  preview(@Body() body: MigrationPreviewDto): Promise<MigrationPreviewView> {
    return this.migrations.preview(body.filter);
  }

  @Get('migrations')
  @ApiOperation({ summary: 'The latest migrations: who, when, why, filter, result' })
  migrationList() {
    return this.migrations.list();
  }

  @Get('migrations/:id')
  @ApiOperation({ summary: 'One migration as recorded' })
  migration(@Param('id') id: string) {
    return this.migrations.find(id);
  }

  @Post('what-if')
  @HttpCode(202)
  @Roles(...RULES_WRITERS)
  @ApiOperation({ summary: 'Run a draft or version against recorded cases (the last N, or a time window)' })
  @ApiResponse({ status: 202, description: '{ jobId, status }: follow it with GET what-if/:jobId' })
  @ApiResponse({ status: 400, description: 'An invalid draft (every error), or a bad sample' })
  startWhatIf(@Body() body: StartWhatIfDto, @CurrentPrincipal() principal: Principal) {
    if (body.draftId !== undefined && body.version !== undefined) {
      throw invalid('version', 'one-subject', 'give either draftId or version, not both');
    }
    return this.whatIf.start({ ...body, sample: sampleOf(body.sample) }, principal);
  }

  @Get('what-if/:jobId')
  @ApiOperation({ summary: 'A what-if job: status, progress { done, total }, and its report once done' })
  whatIfJob(@Param('jobId') jobId: string) {
    return this.whatIf.find(jobId);
  }
}

function sampleOf(sample: WhatIfSampleDto): WhatIfSample {
  if (sample.last !== undefined) {
    if (sample.from !== undefined || sample.to !== undefined) {
      throw invalid('sample.last', 'one-sample', 'give either last or from and to, not both');
    }
    return { last: sample.last };
  }
  const from = new Date(sample.from!);
  const to = new Date(sample.to!);
  if (!(from < to)) throw invalid('sample.to', 'after-from', 'sample.to must come after sample.from');
  return { from: from.toISOString(), to: to.toISOString() };
}

function invalid(field: string, rule: string, message: string): ApiError {
  return new ApiError(ApiErrorCode.ValidationFailed, 'The request is invalid', [{ field, rule, message }]);
}
