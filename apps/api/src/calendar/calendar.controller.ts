import { Body, Controller, Delete, Get, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../../../libs/domain/src/lifecycle/lifecycle.types';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { ApiError, ApiErrorCode } from '../common/api-error';
import {
  AddLocalDayDto,
  CalendarView,
  CalendarYearView,
  DeadlineQueryDto,
  DeadlineView,
  isLocalDate,
  RemoveLocalDayQueryDto,
} from './calendar.dto';
import {
  AffectedCasesView,
  LoadOfficialYearDto,
  RecomputeOpenCasesDto,
  RecomputeOpenCasesView,
} from './calendar-years.dto';
import { CalendarService } from './calendar.service';

/** Every staff role reads the calendar; only designers and admins change it. */
const READERS = ['operator', 'handler', 'coordinator', 'designer', 'auditor', 'admin'] as const;
const WRITERS = ['designer', 'admin'] as const;
/** Case numbers across units: only roles that see every case (handlers see their units' cases only). */
const CASE_WIDE_READERS = ['designer', 'auditor', 'admin'] as const;

@ApiTags('calendars')
@ApiBearerAuth()
@Controller('api/v1/calendars/current')
export class CalendarController {
  constructor(private readonly calendars: CalendarService) {}

  @Get()
  @Roles(...READERS)
  @ApiOperation({ summary: 'The current calendar version: id, version, covered range, local days' })
  @ApiResponse({ status: 200, type: CalendarView })
  current(): Promise<CalendarView> {
    return this.calendars.current();
  }

  @Get('deadline')
  @Roles(...READERS)
  @ApiOperation({ summary: 'What deadline this duration gives from this instant under the current version' })
  @ApiResponse({ status: 200, type: DeadlineView })
  @ApiResponse({ status: 400, description: 'Bad instant or duration, or a deadline outside the covered range' })
  deadline(@Query() query: DeadlineQueryDto): Promise<DeadlineView> {
    return this.calendars.deadline(query);
  }

  @Get('versions/:version')
  @Roles(...READERS)
  @ApiOperation({ summary: 'A past (or the current) version, as it was' })
  @ApiResponse({ status: 200, type: CalendarView })
  @ApiResponse({ status: 404, description: 'No such version' })
  version(@Param('version') version: string): Promise<CalendarView> {
    return this.calendars.version(parseVersion(version));
  }

  @Get('versions/:version/deadline')
  @Roles(...READERS)
  @ApiOperation({ summary: 'What deadline this duration gave under a past version (e.g. to check a case)' })
  @ApiResponse({ status: 200, type: DeadlineView })
  @ApiResponse({ status: 404, description: 'No such version' })
  versionDeadline(@Param('version') version: string, @Query() query: DeadlineQueryDto): Promise<DeadlineView> {
    return this.calendars.deadline(query, parseVersion(version));
  }

  @Get('versions/:version/affected-cases')
  @Roles(...CASE_WIDE_READERS)
  @ApiOperation({ summary: "Open cases' running deadlines this version moves (read-only; the case recomputes them)" })
  @ApiResponse({ status: 200, type: AffectedCasesView })
  @ApiResponse({ status: 404, description: 'No such version' })
  affectedCases(@Param('version') version: string): Promise<AffectedCasesView> {
    return this.calendars.affectedCases(parseVersion(version));
  }

  @Post('versions/:version/recompute-open-cases')
  @Roles(...WRITERS)
  @ApiOperation({
    summary: "Move open cases' running deadlines onto this (current) version; each case records who, when and why",
  })
  @ApiResponse({ status: 201, type: RecomputeOpenCasesView, description: 'Each affected case, moved or skipped (why)' })
  @ApiResponse({ status: 404, description: 'No such version' })
  @ApiResponse({ status: 409, description: 'The version is not the current one' })
  recomputeOpenCases(
    @Param('version') version: string,
    @Body() body: RecomputeOpenCasesDto,
    @CurrentActor() actor: Actor,
  ): Promise<RecomputeOpenCasesView> {
    return this.calendars.recomputeOpenCases(parseVersion(version), body.reason, actor);
  }

  @Get('years/:year/days')
  @Roles(...READERS)
  @ApiOperation({ summary: "A year's holidays, make-up days and local days under the current version (a year view)" })
  @ApiResponse({ status: 200, type: CalendarYearView })
  @ApiResponse({ status: 400, description: 'Not a 4-digit year' })
  yearDays(@Param('year') year: string): Promise<CalendarYearView> {
    if (!/^\d{4}$/.test(year)) throw invalid('year', 'format', 'year must be a 4-digit year, e.g. 2027');
    return this.calendars.yearDays(Number(year));
  }

  @Put('years/:year')
  @Roles(...WRITERS)
  @ApiOperation({
    summary:
      "Load a year's official holiday schedule (days off, make-up days); makes a new version, the year no longer provisional",
  })
  @ApiResponse({ status: 200, type: CalendarView, description: 'The new version (the current one if nothing changed)' })
  @ApiResponse({
    status: 400,
    description:
      'Not a provisional or official year, a date outside the year or twice, a make-up weekday, a statutory holiday worked',
  })
  loadOfficialYear(
    @Param('year') year: string,
    @Body() body: LoadOfficialYearDto,
    @CurrentActor() actor: Actor,
  ): Promise<CalendarView> {
    if (!/^\d{4}$/.test(year)) throw invalid('year', 'format', 'year must be a 4-digit year, e.g. 2027');
    const days = body.days.map(({ date, working, name }) => ({ date, working, name }));
    return this.calendars.loadOfficialYear(Number(year), days, body.reason, actor);
  }

  @Post('days')
  @Roles(...WRITERS)
  @ApiOperation({ summary: 'Add a local day off or on; makes a new version' })
  @ApiResponse({ status: 201, type: CalendarView, description: 'The new version' })
  @ApiResponse({ status: 400, description: 'Bad date, outside the covered range, already a local day, or no effect' })
  addDay(@Body() body: AddLocalDayDto, @CurrentActor() actor: Actor): Promise<CalendarView> {
    const { reason, ...day } = body;
    return this.calendars.addDay(day, reason, actor);
  }

  @Delete('days/:date')
  @Roles(...WRITERS)
  @ApiOperation({ summary: 'Remove a local day; makes a new version (earlier versions keep the day)' })
  @ApiResponse({ status: 200, type: CalendarView, description: 'The new version' })
  @ApiResponse({ status: 404, description: 'The date is not a local day of the current version' })
  removeDay(
    @Param('date') date: string,
    @Query() query: RemoveLocalDayQueryDto,
    @CurrentActor() actor: Actor,
  ): Promise<CalendarView> {
    if (!isLocalDate(date)) throw invalid('date', 'isLocalDate', "date must be a real date 'YYYY-MM-DD'");
    return this.calendars.removeDay(date, query.reason, actor);
  }
}

function parseVersion(text: string): number {
  if (!/^[1-9]\d{0,8}$/.test(text)) throw invalid('version', 'format', 'version must be a positive integer');
  return Number(text);
}

function invalid(field: string, rule: string, message: string): ApiError {
  return new ApiError(ApiErrorCode.ValidationFailed, 'The request is invalid', [{ field, rule, message }]);
}
