import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsString,
  Length,
  Matches,
  ValidateBy,
  ValidateNested,
} from 'class-validator';
import type { AffectedDeadlines } from '../../../../libs/domain/src/calendar/affected-deadlines';
import { parseLocalDate } from '../../../../libs/domain/src/calendar/local-time';

/* Requests and views of a year's official holiday schedule, and of the open cases a calendar version moves. */

const NOT_BLANK = /\S/;

const IsLocalDate = () =>
  ValidateBy({
    name: 'isLocalDate',
    validator: {
      validate: (value) => typeof value === 'string' && parseLocalDate(value) !== undefined,
      defaultMessage: () => "$property must be a real date 'YYYY-MM-DD'",
    },
  });

/** One day of an official schedule: a day off (`working: false`) or a make-up working day (`working: true`). */
export class OfficialDayDto {
  @ApiProperty({ example: '2027-02-05' })
  @IsLocalDate()
  date: string;

  @ApiProperty({ example: false, description: 'false: a day off; true: a make-up working day (调休上班)' })
  @IsBoolean()
  working: boolean;

  @ApiProperty({ example: '春节' })
  @IsString()
  @Length(1, 100)
  @Matches(NOT_BLANK, { message: '$property must not be blank' })
  name: string;
}

/** Body of `PUT /api/v1/calendars/current/years/:year`: a year's official holiday schedule, as a new version. */
export class LoadOfficialYearDto {
  @ApiProperty({ type: [OfficialDayDto], description: 'Days off and make-up working days of the year, one per date' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(366)
  @ValidateNested({ each: true })
  @Type(() => OfficialDayDto)
  days: OfficialDayDto[];

  @ApiProperty({
    example: '国务院办公厅关于2027年部分节假日安排的通知',
    description: 'Why; recorded on the new version',
  })
  @IsString()
  @Length(1, 500)
  @Matches(NOT_BLANK, { message: '$property must not be blank' })
  reason: string;
}

export class OfficialDayView {
  @ApiProperty({ example: '2027-02-05' }) date: string;
  @ApiProperty() working: boolean;
  @ApiProperty() name: string;
}

export class OfficialYearView {
  @ApiProperty({ example: 2027 }) year: number;
  @ApiProperty({ description: 'The version that loaded the schedule' }) addedIn: number;
  @ApiProperty({ type: [OfficialDayView] }) days: OfficialDayView[];
}

/** `GET …/versions/:version/affected-cases`: the open cases' running deadlines that version moves. */
export class AffectedCasesView {
  @ApiProperty({ example: 'cn-mainland+provisional-2028+provisional-2029' }) calendarId: string;
  @ApiProperty({ example: 5 }) version: number;
  @ApiProperty({ description: 'When the deadlines were judged: only deadlines still running then are listed' })
  at: string;
  @ApiProperty({ example: ['20270120000001'], description: 'Case numbers with at least one changed deadline' })
  caseNos: string[];
  @ApiProperty({
    type: 'array',
    items: { type: 'object' },
    description: 'Each changed deadline: caseNo, kind, duration, from, calendarVersion and due before, newDue after',
  })
  changed: AffectedDeadlines['changed'];
  @ApiProperty({
    type: 'array',
    items: { type: 'object' },
    description: 'Deadlines that could not be judged, with the reason',
  })
  unchecked: AffectedDeadlines['unchecked'];
}

/** Body of `POST /calendars/current/versions/:version/recompute-open-cases`. */
export class RecomputeOpenCasesDto {
  @ApiProperty({
    example: '2027年法定节假日安排公布，在办工单时限按新日历重算',
    description: 'Why; recorded on each case',
  })
  @IsString()
  @Length(1, 500)
  @Matches(NOT_BLANK, { message: '$property must not be blank' })
  reason: string;
}

export class RecomputedCaseView {
  @ApiProperty({ example: '20270120000001' }) caseNo: string;
  @ApiProperty({ enum: ['moved', 'skipped'] }) outcome: 'moved' | 'skipped';
  @ApiProperty({ required: false, description: 'Why a case was skipped (e.g. closed meanwhile, refused)' })
  reason?: string;
}

export class RecomputeOpenCasesView {
  @ApiProperty({ example: 5 }) version: number;
  @ApiProperty({ type: [RecomputedCaseView] }) cases: RecomputedCaseView[];
}
