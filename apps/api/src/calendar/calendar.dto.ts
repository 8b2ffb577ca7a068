import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsNumber, IsOptional, IsString, Length, Matches, Max, Min, ValidateBy } from 'class-validator';
import { nationalYearsOf } from '../../../../libs/domain/src/calendar/national-years';
import { DurationFormatError, parseDuration } from '../../../../libs/domain/src/calendar/duration';
import { parseLocalDate } from '../../../../libs/domain/src/calendar/local-time';
import type { CalendarVersionView } from '../../../../libs/persistence/src/calendar/calendar-source';
import { OfficialYearView } from './calendar-years.dto';

const NOT_BLANK = /\S/;

/** A real local date 'YYYY-MM-DD' (2026-02-30 is refused). */
export function isLocalDate(value: unknown): boolean {
  return typeof value === 'string' && parseLocalDate(value) !== undefined;
}

/** An ISO-8601 instant with seconds optional and a time zone required (`Z` or `±HH:MM`), e.g. `2026-11-23T10:00+08:00`. */
export function isInstant(value: unknown): boolean {
  return (
    typeof value === 'string' &&
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(value) &&
    Number.isFinite(Date.parse(value)) &&
    isLocalDate(value.slice(0, 10))
  );
}

/** Why a duration text is refused (the calendar parser's message), or undefined when it is a duration. */
export function durationProblem(value: unknown): string | undefined {
  try {
    parseDuration(value as string);
    return undefined;
  } catch (error) {
    if (error instanceof DurationFormatError) return error.message;
    throw error;
  }
}

const IsLocalDate = () =>
  ValidateBy({
    name: 'isLocalDate',
    validator: { validate: isLocalDate, defaultMessage: () => "$property must be a real date 'YYYY-MM-DD'" },
  });

const IsInstant = () =>
  ValidateBy({
    name: 'isInstant',
    validator: {
      validate: isInstant,
      defaultMessage: () =>
        "$property must be an ISO-8601 instant with a time zone, e.g. '2026-11-23T10:00:00+08:00' (write + as %2B)",
    },
  });

const IsDuration = () =>
  ValidateBy({
    name: 'isDuration',
    validator: {
      validate: (value) => durationProblem(value) === undefined,
      defaultMessage: (args) => `$property: ${durationProblem(args?.value) ?? 'not a duration'}`,
    },
  });

/** Query of `GET …/deadline`: what deadline does this duration give from this instant. */
export class DeadlineQueryDto {
  @ApiProperty({ example: '2026-11-23T10:00:00+08:00', description: 'Start instant, with a time zone' })
  // An unencoded '+' in a query string arrives as a space: read '…T10:00:00 08:00' as '…T10:00:00+08:00'.
  @Transform(({ value }) => (typeof value === 'string' ? value.replace(/ (\d{2}:\d{2})$/, '+$1') : value))
  @IsInstant()
  from: string;

  @ApiProperty({ example: '7WD', description: "Working days ('7WD'), working hours ('4WH') or natural ('PT2H')" })
  @IsDuration()
  duration: string;

  @ApiPropertyOptional({ example: 0.8, description: 'Also answer the reminder instant at this fraction (0..1)' })
  @IsOptional()
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  reminderFraction?: number;
}

/** Body of `POST /api/v1/calendars/current/days`: a local day off or on, as a new calendar version. */
export class AddLocalDayDto {
  @ApiProperty({ example: '2026-11-25' })
  @IsLocalDate()
  date: string;

  @ApiProperty({ example: false, description: 'false: a day off; true: a working day (e.g. a local make-up day)' })
  @IsBoolean()
  working: boolean;

  @ApiProperty({ example: '市运会闭幕放假' })
  @IsString()
  @Length(1, 100)
  @Matches(NOT_BLANK, { message: '$property must not be blank' })
  name: string;

  @ApiProperty({ example: '市政府通知：市运会闭幕日全市放假一天', description: 'Why; recorded on the new version' })
  @IsString()
  @Length(1, 500)
  @Matches(NOT_BLANK, { message: '$property must not be blank' })
  reason: string;
}

/** Query of `DELETE /api/v1/calendars/current/days/:date`. */
export class RemoveLocalDayQueryDto {
  @ApiProperty({ example: '通知撤回', description: 'Why; recorded on the new version' })
  @IsString()
  @Length(1, 500)
  @Matches(NOT_BLANK, { message: '$property must not be blank' })
  reason: string;
}

/** One span of office hours in local time. */
export class OfficeHoursView {
  @ApiProperty({ example: '09:00' }) start: string;
  @ApiProperty({ example: '12:00' }) end: string;
}

export class LocalDayView {
  @ApiProperty({ example: '2026-11-25' }) date: string;
  @ApiProperty() working: boolean;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'The version that added the day' }) addedIn: number;
}

/**
 * One version of the calendar: national data from `chinese-days`, the official schedules loaded for later years,
 * provisional years (the statutory holidays only), and the local days of that version.
 */
export class CalendarView {
  @ApiProperty({ example: 'cn-mainland+provisional-2027', description: 'Recorded on every deadline' })
  id: string;
  @ApiProperty({ example: 2, description: 'Recorded on every deadline' }) version: number;
  @ApiProperty() createdAt: string;
  @ApiProperty() createdBy: string;
  @ApiProperty() reason: string;
  @ApiProperty({ example: '2025-01-01' }) coversFrom: string;
  @ApiProperty({ example: '2027-12-31' }) coversTo: string;
  @ApiProperty({ example: 480 }) utcOffsetMinutes: number;
  @ApiProperty({ type: [OfficeHoursView], example: [{ start: '09:00', end: '12:00' }] })
  officeHours: OfficeHoursView[];
  @ApiProperty({ type: [Number], example: [6, 7], description: 'ISO weekdays (1 Monday … 7 Sunday)' })
  weekend: number[];
  @ApiProperty({ type: [LocalDayView] }) localDays: LocalDayView[];
  @ApiProperty({ type: [OfficialYearView], description: 'Official schedules loaded for years past chinese-days' })
  officialYears: OfficialYearView[];
  @ApiProperty({
    type: [Number],
    example: [2027, 2028],
    description: 'Years holding the statutory holidays only, until loaded',
  })
  provisionalYears: number[];
}

/** One day a calendar version overrides, with where it came from. */
export class CalendarDayView {
  @ApiProperty({ example: '2026-10-01' }) date: string;
  @ApiProperty({ description: 'false: a day off on a weekday; true: a working day on a weekend (调休)' })
  working: boolean;
  @ApiProperty({ example: '国庆节' }) name: string;
  @ApiProperty({ enum: ['chinese-days', 'official', 'provisional', 'local'] })
  source: 'chinese-days' | 'official' | 'provisional' | 'local';
}

/** `GET …/years/:year/days`: the days of a year the current version overrides, for a year view. */
export class CalendarYearView {
  @ApiProperty({ example: 'cn-mainland' }) calendarId: string;
  @ApiProperty({ example: 2 }) version: number;
  @ApiProperty({ example: 2026 }) year: number;
  @ApiProperty({ example: '2025-01-01' }) coversFrom: string;
  @ApiProperty({ example: '2027-12-31' }) coversTo: string;
  @ApiProperty({ type: [Number], example: [6, 7], description: 'ISO weekdays (1 Monday … 7 Sunday)' })
  weekend: number[];
  @ApiProperty({ type: [CalendarDayView] }) days: CalendarDayView[];
}

export class DeadlineView {
  @ApiProperty() due: string;
  @ApiProperty() calendarId: string;
  @ApiProperty() calendarVersion: number;
  @ApiProperty({ description: 'Holidays, make-up days and local days the computation crossed' })
  appliedDays: string[];
  @ApiPropertyOptional() reminderAt?: string;
}

/** The HTTP view of a stored calendar version. */
export function toCalendarView({ calendar, snapshot }: CalendarVersionView): CalendarView {
  return {
    id: calendar.id,
    version: calendar.version,
    createdAt: snapshot.createdAt.toISOString(),
    createdBy: snapshot.createdBy,
    reason: snapshot.reason,
    coversFrom: calendar.coversFrom,
    coversTo: calendar.coversTo,
    utcOffsetMinutes: calendar.utcOffsetMinutes,
    officeHours: calendar.officeHours,
    weekend: calendar.weekend,
    localDays: snapshot.localDays.map(({ date, working, name, addedIn }) => ({ date, working, name, addedIn })),
    officialYears: snapshot.officialYears.map(({ year, addedIn, days }) => ({
      year,
      addedIn,
      days: days.map(({ date, working, name }) => ({ date, working, name })),
    })),
    provisionalYears: nationalYearsOf(calendar).provisional,
  };
}
