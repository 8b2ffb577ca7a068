import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  ArrayMinSize,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
} from 'class-validator';
import type { ReplyResult, Satisfaction } from '../../../../libs/domain/src/lifecycle/lifecycle.types';
import {
  WHISTLE_TRIGGERS,
  WHISTLE_TYPES,
  type WhistleTrigger,
  type WhistleType,
} from '../../../../libs/domain/src/rules/process-definition';
import { ID_PATTERN, UNIT_ID_MESSAGE } from '../common/field-rules';

/*
 * Bodies of the case actions. The actor never appears here: it comes from the bearer token. The workflow's Update
 * validators apply the process rules (state, unit, deadlines, limits); these classes only check shape.
 */

const REPLY_RESULTS: ReplyResult[] = ['solved', 'partly', 'explained'];
const SATISFACTIONS: Satisfaction[] = [
  'very-satisfied',
  'satisfied',
  'basically-satisfied',
  'dissatisfied',
  'very-dissatisfied',
];

/** Body of the actions that need only a reason (return, escalate, suspend, resume). */
export class ReasonDto {
  @ApiProperty({ example: '该地址不属于本街道辖区' })
  @IsString()
  @Length(1, 1000)
  reason: string;
}

/** Body of `suspend`: why, and which of the rules' suspension reasons (optional when the rules list one). */
export class SuspendDto extends ReasonDto {
  @ApiPropertyOptional({
    example: 'awaiting-citizen',
    description: "One of the pinned rules' suspension reasons; optional when they list exactly one",
  })
  @IsOptional()
  @Matches(ID_PATTERN, { message: '$property must be a suspension reason id, e.g. awaiting-citizen' })
  reasonId?: string;
}

export class RedispatchDto extends ReasonDto {
  @ApiProperty({ example: 's-wenchang', description: 'The unit that leads the case from now on' })
  @Matches(ID_PATTERN, { message: UNIT_ID_MESSAGE })
  leadUnitId: string;

  @ApiProperty({ description: 'True when the centre designates the unit by arbitration: it cannot return again' })
  @IsBoolean()
  arbitrated: boolean;
}

export class ContactDto {
  @ApiPropertyOptional({ example: '已电话联系市民，约定明日上门' })
  @IsOptional()
  @IsString()
  @Length(1, 1000)
  note?: string;
}

export class ExtensionRequestDto extends ReasonDto {
  @ApiProperty({ example: 5, description: 'Working days asked for (the rules cap it, 10 in the beijing preset)' })
  @IsInt()
  @Min(1)
  @Max(30)
  workingDays: number;
}

export class ExtensionDecisionDto extends ReasonDto {
  @ApiProperty()
  @IsBoolean()
  approved: boolean;
}

/** Body of a co-unit's report of its part (`co-unit-report`). */
export class ReportPartDto {
  @ApiProperty({ example: '住建部门已督促施工方整改，夜间停工' })
  @IsString()
  @Length(1, 4000)
  summary: string;
}

export class ReplyDto {
  @ApiProperty({ enum: REPLY_RESULTS })
  @IsIn(REPLY_RESULTS)
  result: ReplyResult;

  @ApiProperty({ example: '已协调物业整改，噪声已消除' })
  @IsString()
  @Length(1, 4000)
  summary: string;
}

export class ReviewDto {
  @ApiProperty()
  @IsBoolean()
  accepted: boolean;

  @ApiPropertyOptional({ description: 'Required when sending the reply back' })
  @IsOptional()
  @IsString()
  @Length(1, 1000)
  reason?: string;
}

export class CallbackDto {
  @ApiProperty({ description: 'False records an unreachable attempt' })
  @IsBoolean()
  reached: boolean;

  // A reached citizen says both (the workflow refuses otherwise): checked here so each field is named, together.
  @ApiPropertyOptional({ description: 'Required when reached' })
  @ValidateIf((body: CallbackDto) => body.reached === true || body.solved !== undefined)
  @IsDefined({ message: '$property is required when the citizen was reached' })
  @IsBoolean()
  solved?: boolean;

  @ApiPropertyOptional({ enum: SATISFACTIONS, description: 'Required when reached' })
  @ValidateIf((body: CallbackDto) => body.reached === true || body.satisfaction !== undefined)
  @IsDefined({ message: '$property is required when the citizen was reached' })
  @IsIn(SATISFACTIONS)
  satisfaction?: Satisfaction;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 1000)
  note?: string;
}

/** Body of `accountability-decision`: the accountability body's decision on the unit's responsibility. */
export class AccountabilityDecisionDto {
  @ApiProperty({ description: 'True when the unit is found responsible for the citizen staying dissatisfied' })
  @IsBoolean()
  responsible: boolean;

  @ApiProperty({ example: '承办单位未按承诺整改，责任成立，约谈单位负责人' })
  @IsString()
  @Length(1, 2000)
  decision: string;
}

export class WhistleDto extends ReasonDto {
  @ApiProperty({ example: ['dept-urban-management', 'dept-housing'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ArrayUnique()
  @Matches(ID_PATTERN, { each: true, message: UNIT_ID_MESSAGE })
  departmentIds: string[];

  @ApiProperty({ example: 'yellow', description: 'A whistle grade of the rules (beijing: blue, yellow, red)' })
  @Matches(/^[a-z][a-z0-9-]{0,31}$/, { message: '$property must be a grade id' })
  grade: string;

  @ApiPropertyOptional({
    enum: WHISTLE_TRIGGERS,
    description:
      "Why it is blown, one of the rules' triggers and its grade's; absent: the grade's only trigger, else " +
      'citizen-demand where the grade allows it',
  })
  @IsOptional()
  @IsIn(WHISTLE_TRIGGERS)
  trigger?: WhistleTrigger;

  @ApiPropertyOptional({
    enum: WHISTLE_TYPES,
    description:
      "Enforcement, management or development whistle, where the rules tell types apart; absent: the grade's only type",
  })
  @IsOptional()
  @IsIn(WHISTLE_TYPES)
  whistleType?: WhistleType;
}

export class WhistleReportDto {
  @ApiPropertyOptional({ example: '城管执法队已到场' })
  @IsOptional()
  @IsString()
  @Length(1, 1000)
  note?: string;
}

export class WhistleResultDto {
  @ApiProperty({ example: '已拆除违建，恢复原状' })
  @IsString()
  @Length(1, 4000)
  summary: string;
}

export class WhistleRatingDto {
  @ApiProperty({ example: 'dept-urban-management' })
  @Matches(ID_PATTERN, { message: UNIT_ID_MESSAGE })
  departmentId: string;

  @ApiProperty({ minimum: 1, maximum: 5 })
  @IsInt()
  @Min(1)
  @Max(5)
  score: number;

  @ApiPropertyOptional({ description: "Veto the department's assessment; only where the rules allow a veto" })
  @IsOptional()
  @IsBoolean()
  veto?: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 1000)
  comment?: string;
}

export class WhistleConfirmationDto {
  @ApiProperty({ example: 'dept-urban-management' })
  @Matches(ID_PATTERN, { message: UNIT_ID_MESSAGE })
  departmentId: string;

  @ApiProperty({ description: "true: the department's work is done; false: it stays and owes its result again" })
  @IsBoolean()
  done: boolean;

  @ApiPropertyOptional({ example: '围挡尚未拆除，请继续处置', description: 'Required when done is false' })
  @ValidateIf((body: WhistleConfirmationDto) => body.done === false || body.note !== undefined)
  @IsDefined({ message: '$property is required when done is false' })
  @IsString()
  @Length(1, 1000)
  note?: string;
}

export class CoordinateDto {
  @ApiProperty({ example: '请街道牵头，住建部门配合，三日内完成整改' })
  @IsString()
  @Length(1, 2000)
  instruction: string;

  @ApiPropertyOptional({ example: 'dept-housing', description: 'Hand the case to another lead unit' })
  @IsOptional()
  @Matches(ID_PATTERN, { message: UNIT_ID_MESSAGE })
  reassignTo?: string;

  @ApiPropertyOptional({
    example: ['dept-housing', 'dept-urban-management'],
    description: 'Summon departments as co-units (where the rung allows convening)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ArrayUnique()
  @Matches(ID_PATTERN, { each: true, message: UNIT_ID_MESSAGE })
  convene?: string[];

  @ApiPropertyOptional({ example: false, description: 'The instruction is a decision (where the rung decides)' })
  @IsOptional()
  @IsBoolean()
  decision?: boolean;
}
