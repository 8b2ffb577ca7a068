import { Body, Controller, Get, HttpCode, Param, Post, Query, UseInterceptors } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiExtraModels,
  ApiHeader,
  ApiOperation,
  ApiParam,
  ApiResponse,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { Actor } from '../../../../libs/domain/src/lifecycle/lifecycle.types';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { ActionAnswerInterceptor, IdempotencyKey } from '../cases/action-answer.interceptor';
import { CASE_ACTION_BODIES, WHISTLE_ACTION_BODIES } from '../cases/case-action.bodies';
import { InboxQueryDto, InboxView, ReassignDto, TaskView } from './tasks.dto';
import { TasksService } from './tasks.service';

/** Every body class a task action takes (case actions' and whistle-round actions'), once each. */
const ACTION_BODY_CLASSES = [
  ...new Set(
    [...Object.values(CASE_ACTION_BODIES), ...Object.values(WHISTLE_ACTION_BODIES)].flatMap((entry) =>
      'body' in entry && entry.body ? [entry.body] : [],
    ),
  ),
];

/** Roles that have an inbox; designers have none (they change rules, not cases). */
const INBOX_ROLES = ['operator', 'handler', 'coordinator', 'auditor', 'admin'] as const;
/** Roles that tasks wait on, plus admins (who may release or hand on a claim). */
const TASK_ROLES = ['operator', 'handler', 'coordinator', 'admin'] as const;

/**
 * The task inbox (待办): a unit's open human steps, claimed by one person, acted on through the case actions.
 * 403 another unit's inbox or another role's task; 404 an unknown task or another unit's (the same answer); 409 a
 * task claimed by someone else, or already closed (stale).
 */
@ApiTags('tasks')
@ApiBearerAuth()
@ApiResponse({ status: 400, description: 'Invalid query or body: every problem names its field and rule' })
@ApiResponse({ status: 403, description: "Another unit's inbox, or another role's task" })
@Controller('api/v1/tasks')
export class TasksController {
  constructor(private readonly tasks: TasksService) {}

  @Get()
  @Roles(...INBOX_ROLES)
  @ApiOperation({
    summary: "The caller's inbox: a unit's tasks by due date or creation, filtered, a page at a time, with badges",
  })
  @ApiResponse({ status: 200, type: InboxView })
  inbox(@Query() query: InboxQueryDto, @CurrentActor() actor: Actor): Promise<InboxView> {
    return this.tasks.inbox(query, actor);
  }

  @Post(':id/claim')
  @HttpCode(200)
  @Roles(...TASK_ROLES)
  @ApiOperation({ summary: 'Claim an open task of your unit; of two claims at once exactly one wins' })
  @ApiResponse({ status: 200, type: TaskView })
  @ApiResponse({ status: 409, description: 'Claimed by someone else (named), or closed' })
  claim(@Param('id') id: string, @CurrentActor() actor: Actor): Promise<TaskView> {
    return this.tasks.claim(id, actor);
  }

  @Post(':id/unclaim')
  @HttpCode(200)
  @Roles(...TASK_ROLES)
  @ApiOperation({ summary: 'Release your claim (an admin may release anyone’s)' })
  @ApiResponse({ status: 200, type: TaskView })
  @ApiResponse({ status: 409, description: 'Not claimed, or closed' })
  unclaim(@Param('id') id: string, @CurrentActor() actor: Actor): Promise<TaskView> {
    return this.tasks.unclaim(id, actor);
  }

  @Post(':id/reassign')
  @HttpCode(200)
  @Roles(...TASK_ROLES)
  @ApiOperation({
    summary: 'Hand the task to a colleague of its unit with its role (your claim, an open task, or any as admin)',
  })
  @ApiResponse({ status: 200, type: TaskView })
  @ApiResponse({ status: 409, description: 'Closed' })
  reassign(@Param('id') id: string, @Body() body: ReassignDto, @CurrentActor() actor: Actor): Promise<TaskView> {
    return this.tasks.reassign(id, body, actor);
  }

  @Post(':id/actions/:action')
  @HttpCode(200)
  @Roles('operator', 'handler', 'coordinator')
  @ApiOperation({
    summary:
      'Act on the case through the task: the case action of that name (or, on a whistle task, the round action), ' +
      'with its body; it must fit the step',
  })
  @ApiParam({ name: 'action', enum: [...Object.keys(CASE_ACTION_BODIES), ...Object.keys(WHISTLE_ACTION_BODIES)] })
  @ApiExtraModels(...ACTION_BODY_CLASSES)
  @ApiBody({
    required: false,
    description:
      'The body of POST /api/v1/cases/:caseNo/<action>; for report, result and rate that of ' +
      'POST /api/v1/cases/:caseNo/whistle-rounds/:round/report, /result and /ratings (sign takes none)',
    schema: { anyOf: ACTION_BODY_CLASSES.map((body) => ({ $ref: getSchemaPath(body) })) },
  })
  @ApiResponse({
    status: 200,
    description: "The case's new state, as the case action answers it; for a whistle task, the round's new state",
  })
  @ApiResponse({
    status: 409,
    description: 'The task is closed (stale) or claimed by someone else; or the case refused',
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      'Makes the action once-only: a retry with the same key and body answers the first answer (200, header ' +
      '`Idempotent-Replayed: true`), never 409; the same key with another body answers 422',
  })
  @ApiResponse({ status: 422, description: 'The Idempotency-Key was already used with a different request' })
  @ApiResponse({ status: 503, description: 'Temporal or the case worker did not answer within the bound' })
  @UseInterceptors(ActionAnswerInterceptor)
  act(
    @Param('id') id: string,
    @Param('action') action: string,
    @Body() body: Record<string, unknown>,
    @CurrentActor() actor: Actor,
    @IdempotencyKey() key?: string,
  ) {
    return this.tasks.act(id, action, body, actor, key);
  }
}
