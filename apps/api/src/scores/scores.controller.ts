import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../../../../libs/domain/src/lifecycle/lifecycle.types';
import { isScoreMonth } from '../../../../libs/domain/src/scores/month';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { ApiError, ApiErrorCode } from '../common/api-error';
import {
  CreateScoreRunDto,
  ListScoreRunsQueryDto,
  MONTH_MESSAGE,
  MonthScoresView,
  ScoreRunQueryDto,
  ScoreRunView,
  UnitExplanationView,
} from './scores.dto';
import { ScoresService } from './scores.service';

/** Auditors, admins and designers read the scores; auditors and admins start a run. */
const READERS = ['auditor', 'admin', 'designer'] as const;
const TRIGGERS = ['auditor', 'admin'] as const;

const UNIT_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

@ApiTags('scores')
@ApiBearerAuth()
@Controller('api/v1/scores')
export class ScoresController {
  constructor(private readonly scores: ScoresService) {}

  @Post('runs')
  @Roles(...TRIGGERS)
  @ApiOperation({ summary: "Compute a month's scores now (a new run; it supersedes the month's earlier runs)" })
  @ApiResponse({ status: 201, type: ScoreRunView, description: 'The run finished: completed, or failed with why' })
  @ApiResponse({ status: 202, type: ScoreRunView, description: 'Still running: poll GET /api/v1/scores/runs?month=' })
  @ApiResponse({ status: 400, description: "month is not 'YYYY-MM' or is after the current month" })
  async createRun(
    @Body() body: CreateScoreRunDto,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ScoreRunView> {
    const { status, run } = await this.scores.requestRun(body.month, actor);
    response.status(status);
    return run;
  }

  @Get('runs')
  @Roles(...READERS)
  @ApiOperation({ summary: 'Score runs of a month (or the latest of every month), newest first' })
  @ApiResponse({ status: 200, type: [ScoreRunView] })
  listRuns(@Query() query: ListScoreRunsQueryDto): Promise<ScoreRunView[]> {
    return this.scores.listRuns(query.month);
  }

  @Get(':month')
  @Roles(...READERS)
  @ApiOperation({
    summary: "A month's published scores: rates, score and rank per unit, bottom N, double assessment, hotspots",
  })
  @ApiResponse({ status: 200, type: MonthScoresView })
  @ApiResponse({ status: 404, description: 'The month has no completed run (or no such run)' })
  month(@Param('month') month: string, @Query() query: ScoreRunQueryDto): Promise<MonthScoresView> {
    return this.scores.monthScores(checkMonth(month), query.runId);
  }

  @Get(':month/units/:unitId/explain')
  @Roles(...READERS)
  @ApiOperation({ summary: "The cases behind each of a unit's figures, with the formulas and the stored facts" })
  @ApiResponse({ status: 200, type: UnitExplanationView })
  @ApiResponse({ status: 404, description: 'No completed run of the month, or no figures for the unit in it' })
  explain(
    @Param('month') month: string,
    @Param('unitId') unitId: string,
    @Query() query: ScoreRunQueryDto,
  ): Promise<UnitExplanationView> {
    if (!UNIT_ID.test(unitId)) throw invalid('unitId', 'format', 'unitId must be an org-tree id such as s-hubin');
    return this.scores.explain(checkMonth(month), unitId, query.runId);
  }
}

function checkMonth(month: string): string {
  if (!isScoreMonth(month)) throw invalid('month', 'isMonth', MONTH_MESSAGE.replace('$property', 'month'));
  return month;
}

function invalid(field: string, rule: string, message: string): ApiError {
  return new ApiError(ApiErrorCode.ValidationFailed, 'The request is invalid', [{ field, rule, message }]);
}
