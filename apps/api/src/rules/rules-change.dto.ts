import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsDefined,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { MAX_SAMPLE } from './what-if.service';
import { NOT_BLANK_PATTERN, SLUG_PATTERN, VERSION_LABEL_PATTERN } from '../common/field-rules';

/* Bodies of the two actions that reach beyond drafts and versions: moving open cases, and what-if runs. */

/** Open statuses and phases a migration filter can name. */
const OPEN_STATES = [
  'registered',
  'open',
  'awaiting-dispatch',
  'awaiting-sign',
  'handling',
  'in-review',
  'awaiting-callback',
  'accountability',
] as const;

/** Which open cases move; every given field must match. */
export class MigrationFilterDto {
  @ApiPropertyOptional({ example: 'beijing@1', description: 'The version the case is pinned to now' })
  @IsOptional()
  @Matches(VERSION_LABEL_PATTERN, { message: '$property must be a version label <id>@<n>' })
  fromVersion?: string;

  @ApiPropertyOptional({ enum: OPEN_STATES, description: 'The case status or phase' })
  @IsOptional()
  @IsIn(OPEN_STATES)
  status?: string;

  @ApiPropertyOptional({ example: 's-hubin', description: 'The lead or the responsible (coordinating) unit' })
  @IsOptional()
  @Matches(SLUG_PATTERN, { message: '$property must be a unit id' })
  unitId?: string;

  @ApiPropertyOptional({ example: 'd-donghu' })
  @IsOptional()
  @Matches(SLUG_PATTERN, { message: '$property must be a unit id' })
  districtId?: string;
}

/** `POST /rules/migrations`: move matching open cases to a published version. */
export class StartMigrationDto {
  @ApiProperty({ example: 'beijing@2' })
  @Matches(VERSION_LABEL_PATTERN, { message: '$property must be a version label <id>@<n>' })
  toVersion: string;

  @ApiProperty({ type: MigrationFilterDto })
  @IsDefined({ message: '$property is required ({} for every open case)' })
  @ValidateNested()
  @Type(() => MigrationFilterDto)
  filter: MigrationFilterDto;

  @ApiProperty({ example: '新时限自发布之日起适用于在办案件' })
  @IsString()
  @Length(1, 2000)
  @Matches(NOT_BLANK_PATTERN, { message: '$property must not be blank' })
  reason: string;
}

/** `POST /rules/migrations/preview`: which open cases a migration with this filter would take (nothing moves). */
export class MigrationPreviewDto {
  @ApiProperty({ type: MigrationFilterDto })
  @IsDefined({ message: '$property is required ({} for every open case)' })
  @ValidateNested()
  @Type(() => MigrationFilterDto)
  filter: MigrationFilterDto;
}

/** The answer of a preview: how many open cases match, and the first case numbers. */
export class MigrationPreviewView {
  @ApiProperty({ example: 12 }) matched: number;
  @ApiProperty({ type: [String], example: ['20261120000001'], description: 'The first 20 by case number' })
  caseNos: string[];
}

/** The recorded cases to run against: `{ last }`, or `{ from, to }` (received in [from, to)). */
export class WhatIfSampleDto {
  @ApiPropertyOptional({ example: 500, description: `The last N cases received (at most ${MAX_SAMPLE})` })
  @ValidateIf((sample: WhatIfSampleDto) => sample.from === undefined && sample.to === undefined)
  @IsInt()
  @Min(1)
  @Max(MAX_SAMPLE)
  last?: number;

  @ApiPropertyOptional({ example: '2026-10-01T00:00:00+08:00' })
  @ValidateIf((sample: WhatIfSampleDto) => sample.last === undefined)
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ example: '2026-11-01T00:00:00+08:00' })
  @ValidateIf((sample: WhatIfSampleDto) => sample.last === undefined)
  @IsISO8601({ strict: true })
  to?: string;
}

/** `POST /rules/what-if`: a draft (`draftId`) or a published version (`version`), and the sample. */
export class StartWhatIfDto {
  @ApiPropertyOptional({ description: 'A draft id (the draft must be valid)' })
  @ValidateIf((body: StartWhatIfDto) => body.version === undefined)
  @IsUUID()
  draftId?: string;

  @ApiPropertyOptional({ example: 'beijing@2' })
  @ValidateIf((body: StartWhatIfDto) => body.draftId === undefined)
  @Matches(VERSION_LABEL_PATTERN, { message: '$property must be a version label <id>@<n>' })
  version?: string;

  @ApiProperty({ type: WhatIfSampleDto })
  @ValidateNested()
  @Type(() => WhatIfSampleDto)
  sample: WhatIfSampleDto;
}
