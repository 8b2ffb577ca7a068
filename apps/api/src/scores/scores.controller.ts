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
  UnitCasesQueryDto,
  UnitExplanationView,
  UnitFigureCasesView,
  YearAssessmentView,
} from './scores.dto';
import { CENTRE_SCORE_READERS, ScoresService, UNIT_SCORE_READERS } from './scores.service';

/**
 * The centre (operators, auditors, admins) and designers read every unit's scores; a unit's handlers and its
 * committee's coordinators read that unit's figures, rank and cases only (another unit's answer 404). Auditors and
 * admins start a run.
 */
const READERS = CENTRE_SCORE_READERS;
const UNIT_READERS = [...CENTRE_SCORE_READERS, ...UNIT_SCORE_READERS] as const;
const TRIGGERS = ['auditor', 'admin'] as const;
const YEAR = /^[1-9][0-9]{3}$/;

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

  @Get('years/:year/double-assessment')
  @Roles(...UNIT_READERS)
  @ApiOperation({
    summary: "A year's double assessment (双考核): each department's ratings, means and vetoes per month and in total",
  })
  @ApiResponse({ status: 200, type: YearAssessmentView, description: "A handler or coordinator: its own unit's row" })
  @ApiResponse({ status: 400, description: "year is not 'YYYY'" })
  yearAssessment(@Param('year') year: string, @CurrentActor() actor: Actor): Promise<YearAssessmentView> {
    if (!YEAR.test(year)) throw invalid('year', 'isYear', "year must be a year 'YYYY', e.g. '2026'");
    return this.scores.yearAssessment(year, actor);
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
  @Roles(...UNIT_READERS)
  @ApiOperation({
    summary: "A unit's figures and rank, the cases behind each, the formulas and the stored facts (own unit only)",
  })
  @ApiResponse({ status: 200, type: UnitExplanationView })
  @ApiResponse({ status: 400, description: 'month or unitId malformed' })
  @ApiResponse({
    status: 404,
    description: "No completed run of the month, no figures for the unit in it, or another unit's (handlers)",
  })
  explain(
    @Param('month') month: string,
    @Param('unitId') unitId: string,
    @Query() query: ScoreRunQueryDto,
    @CurrentActor() actor: Actor,
  ): Promise<UnitExplanationView> {
    return this.scores.explain(checkMonth(month), checkUnit(unitId), actor, query.runId);
  }

  @Get(':month/units/:unitId/cases')
  @Roles(...UNIT_READERS)
  @ApiOperation({
    summary: 'The cases behind one figure of a unit: counted, met, missed and left out, with their facts',
  })
  @ApiResponse({ status: 200, type: UnitFigureCasesView })
  @ApiResponse({ status: 400, description: 'month, unitId or figure malformed' })
  @ApiResponse({
    status: 404,
    description: "No completed run of the month, no figures for the unit in it, or another unit's (handlers)",
  })
  figureCases(
    @Param('month') month: string,
    @Param('unitId') unitId: string,
    @Query() query: UnitCasesQueryDto,
    @CurrentActor() actor: Actor,
  ): Promise<UnitFigureCasesView> {
    return this.scores.figureCases(checkMonth(month), checkUnit(unitId), query.figure, actor, query.runId);
  }
}

function checkMonth(month: string): string {
  if (!isScoreMonth(month)) throw invalid('month', 'isMonth', MONTH_MESSAGE.replace('$property', 'month'));
  return month;
}

function checkUnit(unitId: string): string {
  if (!UNIT_ID.test(unitId)) throw invalid('unitId', 'format', 'unitId must be an org-tree id such as s-hubin');
  return unitId;
}

function invalid(field: string, rule: string, message: string): ApiError {
  return new ApiError(ApiErrorCode.ValidationFailed, 'The request is invalid', [{ field, rule, message }]);
}
