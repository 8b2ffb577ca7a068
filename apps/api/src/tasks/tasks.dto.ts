import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
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
} from 'class-validator';
import { ESCALATION_LEVELS } from '../../../../libs/domain/src/lifecycle/lifecycle.types';
import { USER_ROLES } from '../auth/auth.decorators';
import { INBOX_SORTS, InboxRow, TASK_STATUSES } from './inbox-query';
import { actionsForStep } from './task-actions';
import { ID_PATTERN, queryBoolean } from '../common/field-rules';

/*
 * Query, bodies and answers of the task inbox. Access (which unit a caller may list or act in) is the service's
 * business; these classes only check shape.
 */

const STEP =
  /^(sign|contact|handle|resume|extension-decision|review|callback|redispatch|co-unit-report|(coordinate|whistle)-[a-z0-9]+(-[a-z0-9]+)*)$/;

/** Query of `GET /api/v1/tasks`. */
export class InboxQueryDto {
  @ApiPropertyOptional({ example: 's-hubin', description: "Defaults to the caller's unit" })
  @IsOptional()
  @Matches(ID_PATTERN, { message: '$property must be a unit id: lowercase letters, digits and dashes' })
  unit?: string;

  @ApiPropertyOptional({ enum: USER_ROLES, description: 'The role the task waits on' })
  @IsOptional()
  @IsIn(USER_ROLES)
  role?: string;

  @ApiPropertyOptional({ example: 'handle', description: 'sign, contact, handle, …, coordinate-<level>, whistle-…' })
  @IsOptional()
  @Matches(STEP, { message: '$property must be a task step (sign, contact, handle, …, coordinate-<level>, whistle-…)' })
  step?: string;

  @ApiPropertyOptional({ enum: ['me'], description: 'Only the tasks the caller has claimed' })
  @IsOptional()
  @IsIn(['me'], { message: '$property must be me (the only claimer one can ask for)' })
  claimedBy?: 'me';

  @ApiPropertyOptional({ enum: TASK_STATUSES, description: 'Default: open and claimed' })
  @IsOptional()
  @IsIn(TASK_STATUSES)
  status?: (typeof TASK_STATUSES)[number];

  @ApiPropertyOptional({ example: 'noise-nuisance' })
  @IsOptional()
  @Matches(ID_PATTERN, { message: '$property must be a category id' })
  category?: string;

  @ApiPropertyOptional({ example: '2026-11-30T18:00:00+08:00', description: 'Due strictly before this instant' })
  // An unencoded '+' in a query string arrives as a space.
  @Transform(({ value }) => (typeof value === 'string' ? value.replace(/ (\d{2}:?\d{2})$/, '+$1') : value))
  @IsOptional()
  @IsISO8601({ strict: true }, { message: '$property must be an ISO-8601 instant, e.g. 2026-11-30T18:00:00+08:00' })
  dueBefore?: string;

  @ApiPropertyOptional({ description: 'Only overdue (true) or only not overdue (false) tasks' })
  @IsOptional()
  @Transform(queryBoolean)
  @IsBoolean()
  overdue?: boolean;

  @ApiPropertyOptional({ enum: ESCALATION_LEVELS })
  @IsOptional()
  @IsIn(ESCALATION_LEVELS)
  escalationLevel?: string;

  @ApiPropertyOptional({
    example: '20261123',
    description: "Digits: a prefix of the case number; other text: a substring of the case's address",
  })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  q?: string;

  @ApiPropertyOptional({ enum: INBOX_SORTS, default: 'due_at' })
  @IsOptional()
  @IsIn(INBOX_SORTS)
  sort?: (typeof INBOX_SORTS)[number];

  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'asc' })
  @IsOptional()
  @IsIn(['asc', 'desc'])
  order?: 'asc' | 'desc';

  @ApiPropertyOptional({ description: '`nextCursor` of the previous page (same sort and order)' })
  @IsOptional()
  @IsString()
  @Length(1, 512)
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}

/** Body of `POST /api/v1/tasks/:id/reassign`: the colleague who takes the task, by id or by username (one of). */
export class ReassignDto {
  @ApiPropertyOptional({ description: "The user's id" })
  @ValidateIf((body: ReassignDto) => body.username === undefined || body.userId !== undefined)
  @IsUUID('all', { message: '$property must be a user id (UUID); or give username instead' })
  userId?: string;

  @ApiPropertyOptional({ example: 'handler.s-hubin' })
  @ValidateIf((body: ReassignDto) => body.userId === undefined || body.username !== undefined)
  @Matches(/^[a-z0-9][a-z0-9._-]{1,63}$/, { message: '$property must be a username; or give userId instead' })
  username?: string;
}

export class TaskCaseView {
  @ApiProperty() kind: string;
  @ApiProperty() urgency: string;
  @ApiProperty({ nullable: true, type: String }) address: string | null;
}

export class TaskClaimView {
  @ApiProperty() userId: string;
  @ApiProperty({ nullable: true, type: String, description: 'null for an API token' }) username: string | null;
  @ApiProperty() at: string;
}

/** One task of the inbox: the case it belongs to and the step it waits on; never the citizen's details. */
export class TaskView {
  @ApiProperty() id: string;
  @ApiProperty() caseNo: string;
  @ApiProperty({ example: 'sign' }) step: string;
  @ApiProperty() unitId: string;
  @ApiProperty({
    nullable: true,
    type: String,
    example: 'dept-urban-management',
    description: 'The unit the task is about: the whistled department a report, result or rating task concerns',
  })
  subjectUnitId: string | null;
  @ApiProperty() candidateRole: string;
  @ApiProperty({ enum: TASK_STATUSES }) status: string;
  @ApiProperty({ type: TaskClaimView, nullable: true }) claim: TaskClaimView | null;
  @ApiProperty() category: string;
  @ApiProperty() escalationLevel: string;
  @ApiProperty() createdAt: string;
  @ApiProperty({ nullable: true, type: String }) dueAt: string | null;
  @ApiProperty({ nullable: true, type: String }) reminderAt: string | null;
  @ApiProperty() reminded: boolean;
  @ApiProperty() overdue: boolean;
  @ApiProperty({ nullable: true, type: String }) closedAt: string | null;
  @ApiProperty({ description: 'Grows on every change of the row' }) version: number;
  @ApiProperty({ example: ['sign', 'return'], description: 'POST /api/v1/tasks/:id/actions/<action>' })
  actions: string[];
  @ApiProperty({ type: TaskCaseView }) case: TaskCaseView;
}

export class InboxCounts {
  @ApiProperty() open: number;
  @ApiProperty() claimed: number;
  @ApiProperty({ description: 'Open or claimed and overdue' }) overdue: number;
}

export class InboxView {
  @ApiProperty() unitId: string;
  @ApiProperty({ type: [TaskView] }) items: TaskView[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as `cursor` for the next page; null at the end' })
  nextCursor: string | null;
  @ApiProperty({ type: InboxCounts, description: "Badges of the unit's whole inbox (filters do not apply)" })
  counts: InboxCounts;
}

/** The JSON of a task row; `usernames` maps claimers' user ids to usernames. */
export function toTaskView(row: Omit<InboxRow, 'sort_key'>, usernames: ReadonlyMap<string, string>): TaskView {
  const iso = (value: Date | null) => (value ? value.toISOString() : null);
  return {
    id: row.id,
    caseNo: row.case_no,
    step: row.step,
    unitId: row.unit_id,
    subjectUnitId: subjectOf(row),
    candidateRole: row.candidate_role,
    status: row.status,
    claim:
      row.status === 'claimed' && row.claimed_by
        ? {
            userId: row.claimed_by,
            username: usernames.get(row.claimed_by) ?? null,
            at: (row.claimed_at ?? row.created_at).toISOString(),
          }
        : null,
    category: row.category,
    escalationLevel: row.escalation_level,
    createdAt: row.created_at.toISOString(),
    dueAt: iso(row.due_at),
    reminderAt: iso(row.reminder_at),
    reminded: row.reminded,
    overdue: row.overdue,
    closedAt: iso(row.closed_at),
    version: row.version,
    actions: row.status === 'closed' ? [] : [...actionsForStep(row.step)],
    case: { kind: row.kind, urgency: row.urgency, address: row.address },
  };
}

/** The whistled department of a whistle-round task (the last part of its key); null for the case's own steps. */
function subjectOf(row: Pick<InboxRow, 'step' | 'task_key'>): string | null {
  if (!row.step.startsWith('whistle-') || !row.task_key) return null;
  return row.task_key.slice(row.task_key.lastIndexOf(':') + 1) || null;
}
