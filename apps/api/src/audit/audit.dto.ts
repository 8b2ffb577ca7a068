import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsISO8601, IsOptional, Matches, Max, Min } from 'class-validator';
import { CASE_NO_PATTERN } from '../../../../libs/domain/src/case/case.types';
import { ESCALATION_LEVELS, SUPERVISION_LEVELS } from '../../../../libs/domain/src/lifecycle/lifecycle.types';
import { ID_PATTERN, queryBoolean } from '../common/field-rules';

/*
 * Queries and answers of the auditors' endpoints. Access (auditor, admin) is the controller's business; these
 * classes only check shape.
 */

const RULES_VERSION = /^[\w.@:-]{1,100}$/;
/** Query strings carry text: 'true' / 'false' become booleans, anything else stays and fails `IsBoolean`. */
/** An unencoded '+' of a time zone arrives as a space. */
const plusZone = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.replace(/ (\d{2}:?\d{2})$/, '+$1') : value;
const INSTANT = { message: '$property must be an ISO-8601 instant, e.g. 2026-11-23T00:00:00+08:00' };

/** `?format=` of the timeline. */
export class TimelineQueryDto {
  @ApiPropertyOptional({ enum: ['json', 'csv'], default: 'json' })
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}

/** `?caseNo=` of the verification: one case's chain, or (absent) the whole log. */
export class VerifyQueryDto {
  @ApiPropertyOptional({ example: '20261123000001', description: "Only this case's chain; absent: the whole log" })
  @IsOptional()
  @Matches(CASE_NO_PATTERN, { message: '$property must be 8 date digits followed by a serial of 6+ digits' })
  caseNo?: string;
}

/** Filters of the case search and the lifecycle CSV. Every filter is optional; they combine with AND. */
export class CaseSearchQueryDto {
  @ApiPropertyOptional({ example: '2026-11-01T00:00:00+08:00', description: 'Received at or after' })
  @Transform(plusZone)
  @IsOptional()
  @IsISO8601({ strict: true }, INSTANT)
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-01T00:00:00+08:00', description: 'Received before' })
  @Transform(plusZone)
  @IsOptional()
  @IsISO8601({ strict: true }, INSTANT)
  to?: string;

  @ApiPropertyOptional({
    example: 's-hubin',
    description:
      "A unit involved: lead, responsible, co- or copy unit, or the case's grid, community, street, district",
  })
  @IsOptional()
  @Matches(ID_PATTERN, { message: '$property must be a unit id: lowercase letters, digits and dashes' })
  unitId?: string;

  @ApiPropertyOptional({ enum: ['registered', 'open', 'closed'] })
  @IsOptional()
  @IsIn(['registered', 'open', 'closed'])
  status?: string;

  @ApiPropertyOptional({ example: 'noise-nuisance' })
  @IsOptional()
  @Matches(ID_PATTERN, { message: '$property must be a category id' })
  category?: string;

  @ApiPropertyOptional({ description: 'Overdue now (true) or not (false)' })
  @IsOptional()
  @Transform(queryBoolean)
  @IsBoolean()
  overdue?: boolean;

  @ApiPropertyOptional({ enum: ESCALATION_LEVELS })
  @IsOptional()
  @IsIn(ESCALATION_LEVELS)
  escalationLevel?: string;

  @ApiPropertyOptional({ enum: SUPERVISION_LEVELS })
  @IsOptional()
  @IsIn(SUPERVISION_LEVELS)
  supervision?: string;

  @ApiPropertyOptional({ example: 'beijing@1' })
  @IsOptional()
  @Matches(RULES_VERSION, { message: '$property must be a rules version such as beijing@1' })
  rulesVersion?: string;

  @ApiPropertyOptional({ description: 'The `nextCursor` of the previous page (search only)' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,300}$/, { message: '$property must be a nextCursor from a previous page' })
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 50, description: 'Page size (search only)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

/** Query of the consistency check. */
export class ConsistencyQueryDto {
  @ApiPropertyOptional({ default: 168, description: 'Besides open cases, cases changed or closed within these hours' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(24 * 366)
  recentHours?: number;
}

/** One whistle round of a case as the audit search lists it; trigger and type are null where the rules read none. */
export interface AuditWhistle {
  round: number;
  grade: string;
  trigger: string | null;
  whistleType: string | null;
}

/** One case in a search answer: operational facts only, never the citizen's name, phone, address or description. */
export interface AuditCaseRow {
  caseNo: string;
  kind: string;
  category: string;
  urgency: string;
  channel: string;
  status: string;
  stage: string;
  phase: string | null;
  outcome: string | null;
  leadUnitId: string | null;
  responsibleUnitId: string | null;
  coUnitIds: string[];
  copyUnitIds: string[];
  gridId: string | null;
  communityId: string | null;
  streetId: string | null;
  districtId: string | null;
  escalationLevel: string;
  supervision: string;
  overdue: boolean;
  /** Deadlines the case has ever run past (from its `overdue` events): sign, contact, handle, escalation, callback. */
  overdueDeadlines: string[];
  /** The case's whistle rounds in order, each with its grade, trigger and type (from its `whistled` events). */
  whistles: AuditWhistle[];
  priority: string;
  repeatCount: number;
  rulesVersion: string;
  receivedAt: string;
  dispatchedAt: string | null;
  signedAt: string | null;
  contactedAt: string | null;
  repliedAt: string | null;
  calledBackAt: string | null;
  closedAt: string | null;
  nextDeadline: string | null;
}

/** A page of the case search. */
export interface AuditCasePage {
  items: AuditCaseRow[];
  /** Pass as `cursor` for the next page; absent on the last page. */
  nextCursor?: string;
}
