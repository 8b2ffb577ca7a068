import { Body, Controller, HttpCode, Param, ParseIntPipe, Post, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CASE_NO_PATTERN } from '../../../../libs/domain/src/case/case.types';
import type { Actor } from '../../../../libs/domain/src/lifecycle/lifecycle.types';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { ApiError, ApiErrorCode } from '../common/api-error';
import {
  AccountabilityDecisionDto,
  CallbackDto,
  ContactDto,
  CoordinateDto,
  ExtensionDecisionDto,
  ExtensionRequestDto,
  ReasonDto,
  SuspendDto,
  RedispatchDto,
  ReplyDto,
  ReviewDto,
  WhistleDto,
  WhistleConfirmationDto,
  WhistleRatingDto,
  WhistleReportDto,
  WhistleResultDto,
} from './case-action.dto';
import { CASE_ACTION_BODIES as B, WHISTLE_ACTION_BODIES as W } from './case-action.bodies';
import { ActionAnswerInterceptor, IdempotencyKey } from './action-answer.interceptor';
import { CaseActionService } from './case-action.service';

function caseNoOf(value: string): string {
  if (!CASE_NO_PATTERN.test(value)) {
    throw new ApiError(ApiErrorCode.ValidationFailed, 'The request is invalid', [
      { field: 'caseNo', rule: 'format', message: 'caseNo must be 8 date digits followed by a serial of 6+ digits' },
    ]);
  }
  return value;
}

/**
 * Actions on a case, each the matching Update on its workflow with the caller as actor. Success returns the case's
 * new state; 409 a stale, repeated or late action; 403 another unit's action; 400 bad input naming the field.
 */
@ApiTags('case actions')
@ApiBearerAuth()
@ApiResponse({ status: 400, description: 'Invalid body: every problem names its field and rule' })
@ApiResponse({ status: 403, description: 'Another unit or role must take this action' })
@ApiResponse({ status: 409, description: 'Refused in the current state (stale, repeated, too late, at a limit)' })
@ApiResponse({ status: 422, description: 'The Idempotency-Key was already used with a different request' })
@ApiResponse({
  status: 503,
  description:
    'Temporal or the case worker did not answer within the bound (10 s by default); see Retry-After. The action ' +
    'may still be applied: retry with the same Idempotency-Key',
})
@ApiHeader({
  name: 'Idempotency-Key',
  required: false,
  description:
    'Makes the action once-only: a retry with the same key and body answers the first answer (200, header ' +
    '`Idempotent-Replayed: true`), never 409; the same key with another body answers 422',
})
@UseInterceptors(ActionAnswerInterceptor)
@Controller('api/v1/cases/:caseNo')
export class CaseActionController {
  constructor(private readonly actions: CaseActionService) {}

  @Post('sign')
  @HttpCode(200)
  @Roles('handler')
  @ApiOperation({ summary: 'Sign for the case (签收), as a handler of the lead unit' })
  sign(@Param('caseNo') caseNo: string, @CurrentActor() actor: Actor, @IdempotencyKey() key?: string) {
    return this.actions.perform(caseNoOf(caseNo), B.sign.toAction(), actor, key);
  }

  @Post('return')
  @HttpCode(200)
  @Roles('handler')
  @ApiOperation({ summary: 'Return the case (退单) with a reason, within the return window' })
  return(
    @Param('caseNo') caseNo: string,
    @Body() body: ReasonDto,
    @CurrentActor() actor: Actor,
    @IdempotencyKey() key?: string,
  ) {
    return this.actions.perform(caseNoOf(caseNo), B.return.toAction(body), actor, key);
  }

  @Post('redispatch')
  @HttpCode(200)
  @Roles('operator')
  @ApiOperation({ summary: 'Re-dispatch a returned case, or designate a unit by arbitration (centre)' })
  redispatch(
    @Param('caseNo') caseNo: string,
    @Body() body: RedispatchDto,
    @CurrentActor() actor: Actor,
    @IdempotencyKey() key?: string,
  ) {
    return this.actions.perform(caseNoOf(caseNo), B.redispatch.toAction(body), actor, key);
  }

  @Post('contact')
  @HttpCode(200)
  @Roles('handler')
  @ApiOperation({ summary: 'Record that the lead unit contacted the citizen' })
  contact(
    @Param('caseNo') caseNo: string,
    @Body() body: ContactDto,
    @CurrentActor() actor: Actor,
    @IdempotencyKey() key?: string,
  ) {
    return this.actions.perform(caseNoOf(caseNo), B.contact.toAction(body), actor, key);
  }

  @Post('extension-request')
  @HttpCode(200)
  @Roles('handler')
  @ApiOperation({ summary: 'Ask for an extension (延期) before the handling deadline' })
  requestExtension(
    @Param('caseNo') caseNo: string,
    @Body() body: ExtensionRequestDto,
    @CurrentActor() actor: Actor,
    @IdempotencyKey() key?: string,
  ) {
    return this.actions.perform(caseNoOf(caseNo), B['extension-request'].toAction(body), actor, key);
  }

  @Post('extension-decision')
  @HttpCode(200)
  @Roles('operator')
  @ApiOperation({ summary: 'Approve or refuse the pending extension (centre); the citizen is told' })
  decideExtension(
    @Param('caseNo') caseNo: string,
    @Body() body: ExtensionDecisionDto,
    @CurrentActor() actor: Actor,
    @IdempotencyKey() key?: string,
  ) {
    return this.actions.perform(caseNoOf(caseNo), B['extension-decision'].toAction(body), actor, key);
  }

  @Post('suspend')
  @HttpCode(200)
  @Roles('handler')
  @ApiOperation({ summary: 'Suspend the case (中止) while waiting on the citizen: every clock stops' })
  suspend(
    @Param('caseNo') caseNo: string,
    @Body() body: SuspendDto,
    @CurrentActor() actor: Actor,
    @IdempotencyKey() key?: string,
  ) {
    return this.actions.perform(caseNoOf(caseNo), B.suspend.toAction(body), actor, key);
  }

  @Post('resume')
  @HttpCode(200)
  @Roles('handler')
  @ApiOperation({ summary: 'Resume a suspended case: the remaining time is laid on the calendar from now' })
  resume(
    @Param('caseNo') caseNo: string,
    @Body() body: ReasonDto,
    @CurrentActor() actor: Actor,
    @IdempotencyKey() key?: string,
  ) {
    return this.actions.perform(caseNoOf(caseNo), B.resume.toAction(body), actor, key);
  }

  @Post('whistle')
  @HttpCode(200)
  // A command centre whistles, confirms and rates by its operators where the case's rules let it whistle.
  @Roles('handler', 'operator')
  @ApiOperation({ summary: 'Whistle departments (吹哨) to act together; starts a whistle round' })
  whistle(
    @Param('caseNo') caseNo: string,
    @Body() body: WhistleDto,
    @CurrentActor() actor: Actor,
    @IdempotencyKey() key?: string,
  ) {
    return this.actions.perform(caseNoOf(caseNo), B.whistle.toAction(body), actor, key);
  }

  @Post('escalate')
  @HttpCode(200)
  @Roles('handler')
  @ApiOperation({ summary: 'Ask the next coordination committee to take the case up' })
  escalate(
    @Param('caseNo') caseNo: string,
    @Body() body: ReasonDto,
    @CurrentActor() actor: Actor,
    @IdempotencyKey() key?: string,
  ) {
    return this.actions.perform(caseNoOf(caseNo), B.escalate.toAction(body), actor, key);
  }

  @Post('coordinate')
  @HttpCode(200)
  // The rung of the case's ladder says which role acts for its body (a committee's coordinator, the grid's handler,
  // the centre's operator); the workflow checks it.
  @Roles('coordinator', 'operator', 'handler')
  @ApiOperation({
    summary: 'The body the case is escalated to acts: instructs, reassigns, convenes or decides, as its rung allows',
  })
  coordinate(
    @Param('caseNo') caseNo: string,
    @Body() body: CoordinateDto,
    @CurrentActor() actor: Actor,
    @IdempotencyKey() key?: string,
  ) {
    return this.actions.perform(caseNoOf(caseNo), B.coordinate.toAction(body), actor, key);
  }

  @Post('reply')
  @HttpCode(200)
  @Roles('handler')
  @ApiOperation({ summary: 'Reply with the result (solved, partly, explained)' })
  reply(
    @Param('caseNo') caseNo: string,
    @Body() body: ReplyDto,
    @CurrentActor() actor: Actor,
    @IdempotencyKey() key?: string,
  ) {
    return this.actions.perform(caseNoOf(caseNo), B.reply.toAction(body), actor, key);
  }

  @Post('review')
  @HttpCode(200)
  @Roles('operator')
  @ApiOperation({ summary: 'Accept the reply or send it back (centre)' })
  review(
    @Param('caseNo') caseNo: string,
    @Body() body: ReviewDto,
    @CurrentActor() actor: Actor,
    @IdempotencyKey() key?: string,
  ) {
    return this.actions.perform(caseNoOf(caseNo), B.review.toAction(body), actor, key);
  }

  @Post('callback')
  @HttpCode(200)
  @Roles('operator')
  @ApiOperation({ summary: 'Record a call-back attempt (回访): unreachable, or solved and satisfaction' })
  callback(
    @Param('caseNo') caseNo: string,
    @Body() body: CallbackDto,
    @CurrentActor() actor: Actor,
    @IdempotencyKey() key?: string,
  ) {
    return this.actions.perform(caseNoOf(caseNo), B.callback.toAction(body), actor, key);
  }

  @Post('audit-callback')
  @HttpCode(200)
  @Roles('operator')
  @ApiOperation({
    summary:
      'Record the audit call-back (民意访评) of a closed case sampled for one: an answer contradicting the unit’s ' +
      'reported result flags the case',
  })
  auditCallback(
    @Param('caseNo') caseNo: string,
    @Body() body: CallbackDto,
    @CurrentActor() actor: Actor,
    @IdempotencyKey() key?: string,
  ) {
    return this.actions.perform(caseNoOf(caseNo), B['audit-callback'].toAction(body), actor, key);
  }

  @Post('accountability-decision')
  @HttpCode(200)
  @Roles('handler', 'coordinator', 'operator')
  @ApiOperation({
    summary:
      'The accountability body (e.g. the discipline office, in the role its rules name) decides whether the unit ' +
      'is responsible; the case closes with the decision on the record',
  })
  decideAccountability(
    @Param('caseNo') caseNo: string,
    @Body() body: AccountabilityDecisionDto,
    @CurrentActor() actor: Actor,
    @IdempotencyKey() key?: string,
  ) {
    return this.actions.perform(caseNoOf(caseNo), B['accountability-decision'].toAction(body), actor, key);
  }

  @Post('whistle-rounds/:round/report')
  @HttpCode(200)
  @Roles('handler')
  @ApiOperation({ summary: 'A summoned department reports for duty (报到)' })
  report(
    @Param('caseNo') caseNo: string,
    @Param('round', ParseIntPipe) round: number,
    @Body() body: WhistleReportDto,
    @CurrentActor() actor: Actor,
    @IdempotencyKey() key?: string,
  ) {
    return this.actions.performOnWhistle(caseNoOf(caseNo), round, W.report.toAction(body), actor, key);
  }

  @Post('whistle-rounds/:round/result')
  @HttpCode(200)
  @Roles('handler')
  @ApiOperation({ summary: 'A department that reported submits its result' })
  result(
    @Param('caseNo') caseNo: string,
    @Param('round', ParseIntPipe) round: number,
    @Body() body: WhistleResultDto,
    @CurrentActor() actor: Actor,
    @IdempotencyKey() key?: string,
  ) {
    return this.actions.performOnWhistle(caseNoOf(caseNo), round, W.result.toAction(body), actor, key);
  }

  @Post('whistle-rounds/:round/confirm')
  @HttpCode(200)
  // A command centre whistles, confirms and rates by its operators where the case's rules let it whistle.
  @Roles('handler', 'operator')
  @ApiOperation({
    summary:
      "The whistler confirms a department's work done, or sends it back (事不完、人不撤, where the rules keep " +
      'departments until the work is done)',
  })
  confirm(
    @Param('caseNo') caseNo: string,
    @Param('round', ParseIntPipe) round: number,
    @Body() body: WhistleConfirmationDto,
    @CurrentActor() actor: Actor,
    @IdempotencyKey() key?: string,
  ) {
    return this.actions.performOnWhistle(caseNoOf(caseNo), round, W.confirm.toAction(body), actor, key);
  }

  @Post('whistle-rounds/:round/ratings')
  @HttpCode(200)
  // A command centre whistles, confirms and rates by its operators where the case's rules let it whistle.
  @Roles('handler', 'operator')
  @ApiOperation({ summary: 'The whistler rates a department (1–5), the double assessment' })
  rate(
    @Param('caseNo') caseNo: string,
    @Param('round', ParseIntPipe) round: number,
    @Body() body: WhistleRatingDto,
    @CurrentActor() actor: Actor,
    @IdempotencyKey() key?: string,
  ) {
    return this.actions.performOnWhistle(caseNoOf(caseNo), round, W.rate.toAction(body), actor, key);
  }
}
