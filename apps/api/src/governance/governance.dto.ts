import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  GOVERNANCE_KINDS,
  GOVERNANCE_OUTCOMES,
  GOVERNANCE_STATUSES,
  GOVERNANCE_SUPERVISION,
  MAX_MILESTONES,
  type GovernanceKind,
  type GovernanceOutcome,
  type GovernanceStatus,
  type GovernanceSupervision,
} from '../../../../libs/domain/src/governance/governance.types';

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const SLUG_MESSAGE = '$property must hold ids such as s-hubin (lowercase letters, digits, hyphens)';
const NOT_BLANK = /\S/;
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const DURATION = /^(?:[1-9][0-9]*WD|[1-9][0-9]*(?:\.[0-9]{1,2})?WH|P(?:[1-9][0-9]*D)|PT[1-9][0-9]*H)$/;

/** Body of `POST /api/v1/governance/problems`: the centre adopts a problem-of-the-month candidate. */
export class AdoptProblemDto {
  @ApiProperty({ example: '2026-10', description: "The score month whose candidate is adopted, 'YYYY-MM'" })
  @Matches(MONTH, { message: "$property must be a month 'YYYY-MM'" })
  month: string;

  @ApiProperty({ example: 'noise', description: "A candidate's category in that month's published scores" })
  @Matches(SLUG, { message: '$property must be a category id such as noise' })
  category: string;

  @ApiProperty({ example: '夜间施工噪声治理', description: 'What the item is called (1–200 characters)' })
  @IsString()
  @Matches(NOT_BLANK, { message: '$property must not be blank' })
  @MaxLength(200)
  title: string;

  @ApiProperty({ type: [String], example: ['s-hubin'], description: 'Units that own the work (1–20 org-tree ids)' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @Matches(SLUG, { each: true, message: SLUG_MESSAGE })
  ownerUnitIds: string[];

  @ApiPropertyOptional({
    type: [String],
    description: "Places (street or district ids) the effect is counted in; default: the candidate's areas",
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @Matches(SLUG, { each: true, message: SLUG_MESSAGE })
  places?: string[];

  @ApiProperty({ example: '20WD', description: 'Deadline on the working-day calendar (e.g. 20WD, 40WH, P30D, PT48H)' })
  @Matches(DURATION, { message: '$property must be a duration such as 20WD, 40WH, P30D or PT48H' })
  deadline: string;
}

/** One milestone of a plan. */
export class MilestoneInputDto {
  @ApiProperty({ example: '夜间巡查', description: '1–200 characters' })
  @IsString()
  @Matches(NOT_BLANK, { message: '$property must not be blank' })
  @MaxLength(200)
  title: string;

  @ApiPropertyOptional({ example: '2026-11-20', description: 'Planned date YYYY-MM-DD' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: '$property must be a date YYYY-MM-DD' })
  due?: string;
}

/** Body of `POST …/plan`. */
export class SubmitPlanDto {
  @ApiProperty({ description: 'What the unit will do (1–4000 characters)' })
  @IsString()
  @Matches(NOT_BLANK, { message: '$property must not be blank' })
  @MaxLength(4000)
  plan: string;

  @ApiProperty({ type: [MilestoneInputDto], description: `1–${MAX_MILESTONES} milestones` })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_MILESTONES)
  @ValidateNested({ each: true })
  @Type(() => MilestoneInputDto)
  milestones: MilestoneInputDto[];
}

/** Body of `POST …/milestones/:index/complete`. */
export class CompleteMilestoneDto {
  @ApiPropertyOptional({ description: 'What was done (up to 2000 characters)' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

/** Body of `POST …/report`. */
export class ReportDto {
  @ApiProperty({ description: 'What the unit did and found (1–4000 characters)' })
  @IsString()
  @Matches(NOT_BLANK, { message: '$property must not be blank' })
  @MaxLength(4000)
  report: string;

  @ApiProperty({ enum: GOVERNANCE_OUTCOMES })
  @IsIn(GOVERNANCE_OUTCOMES)
  outcome: GovernanceOutcome;
}

/** Body of `POST …/close`. */
export class CloseItemDto {
  @ApiProperty({ description: 'Why the centre accepts the report (1–2000 characters)' })
  @IsString()
  @Matches(NOT_BLANK, { message: '$property must not be blank' })
  @MaxLength(2000)
  note: string;
}

/** Query of `GET /api/v1/governance/items`. */
export class ListItemsQueryDto {
  @ApiPropertyOptional({ enum: GOVERNANCE_KINDS })
  @IsOptional()
  @IsIn(GOVERNANCE_KINDS)
  kind?: GovernanceKind;

  @ApiPropertyOptional({ enum: GOVERNANCE_STATUSES })
  @IsOptional()
  @IsIn(GOVERNANCE_STATUSES)
  status?: GovernanceStatus;

  @ApiPropertyOptional({ example: '2026-10', description: 'Items opened from this score month' })
  @IsOptional()
  @Matches(MONTH, { message: "$property must be a month 'YYYY-MM'" })
  month?: string;
}

/** Query of `GET …/effect`. */
export class EffectQueryDto {
  @ApiPropertyOptional({ default: 3, minimum: 1, maximum: 24, description: 'Months before adoption to count' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(24)
  months?: number;
}

/** One milestone as the item shows it. */
export class MilestoneView {
  @ApiProperty() title: string;
  @ApiPropertyOptional() due?: string;
  @ApiPropertyOptional({ description: 'ISO instant it was marked done' }) doneAt?: string;
  @ApiPropertyOptional() doneBy?: string;
  @ApiPropertyOptional() note?: string;
}

/** The case counts of one category in one place, before and since. */
export class EffectRowView {
  @ApiProperty() category: string;
  @ApiProperty({ description: 'Street/township or district id' }) place: string;
  @ApiProperty() before: number;
  @ApiProperty() since: number;
}

/** Before/after case counts of an item's categories and places. */
export class EffectView {
  @ApiProperty({ description: 'ISO instant the item was opened (adopted)' }) adoptedAt: string;
  @ApiProperty() months: number;
  @ApiProperty({ description: 'Start of the before window (adoption − months)' }) beforeFrom: string;
  @ApiProperty({ description: 'End of the since window' }) asOf: string;
  @ApiProperty({ type: [EffectRowView] }) rows: EffectRowView[];
  @ApiProperty() before: number;
  @ApiProperty() since: number;
}

/** A governance item as the API shows it. */
export class GovernanceItemView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: GOVERNANCE_KINDS }) kind: GovernanceKind;
  @ApiProperty() title: string;
  @ApiProperty({ type: [String] }) ownerUnitIds: string[];
  @ApiProperty({ description: '{ categories, places, month?, unitId? }', type: Object }) scope: Record<string, unknown>;
  @ApiProperty({ description: 'The figures that opened it', type: Object }) origin: Record<string, unknown>;
  @ApiProperty({ enum: GOVERNANCE_STATUSES }) status: GovernanceStatus;
  @ApiProperty({ type: String, nullable: true }) plan: string | null;
  @ApiProperty({ type: [MilestoneView] }) milestones: MilestoneView[];
  @ApiProperty({ type: String, nullable: true }) report: string | null;
  @ApiProperty({ enum: GOVERNANCE_OUTCOMES, nullable: true }) outcome: GovernanceOutcome | null;
  @ApiProperty({ description: 'Duration text of the deadline' }) deadline: string;
  @ApiProperty({ type: String, nullable: true, description: 'ISO instant the deadline expires' }) dueAt: string | null;
  @ApiProperty() reminded: boolean;
  @ApiProperty() overdue: boolean;
  @ApiProperty({ enum: GOVERNANCE_SUPERVISION }) supervision: GovernanceSupervision;
  @ApiProperty({ type: [Object], description: 'What happened, in order' }) events: Record<string, unknown>[];
  @ApiProperty({ type: EffectView, nullable: true, description: 'The effect recorded at the close' })
  measured: EffectView | null;
  @ApiProperty({ description: "Who opened it: a user id, or 'system' (a score run)" }) openedBy: string;
  @ApiProperty() openedAt: string;
  @ApiProperty({ type: String, nullable: true }) closedAt: string | null;
}
