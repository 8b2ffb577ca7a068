import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../../../libs/domain/src/lifecycle/lifecycle.types';
import { MAX_MILESTONES } from '../../../../libs/domain/src/governance/governance.types';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { ApiError, ApiErrorCode } from '../common/api-error';
import {
  AdoptProblemDto,
  CloseItemDto,
  CompleteMilestoneDto,
  EffectQueryDto,
  EffectView,
  GovernanceItemView,
  ListItemsQueryDto,
  ReportDto,
  SubmitPlanDto,
} from './governance.dto';
import { GovernanceService } from './governance.service';

/** Who reads items: the centre and auditors read all; an owner unit's handlers and coordinators read theirs. */
const READERS = ['operator', 'admin', 'auditor', 'handler', 'coordinator'] as const;
/** The service centre adopts problems of the month and closes items. */
const CENTRE = ['operator', 'admin'] as const;
/** An owner unit's people plan, complete milestones and report. */
const OWNERS = ['handler', 'coordinator'] as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function itemId(id: string): string {
  if (!UUID.test(id)) throw invalid('id', 'isUuid', 'id must be a governance item id (a UUID)');
  return id;
}

function invalid(field: string, rule: string, message: string): ApiError {
  return new ApiError(ApiErrorCode.ValidationFailed, 'The request is invalid', [{ field, rule, message }]);
}

@ApiTags('governance')
@ApiBearerAuth()
@Controller('api/v1/governance')
export class GovernanceController {
  constructor(private readonly governance: GovernanceService) {}

  @Get('items')
  @Roles(...READERS)
  @ApiOperation({
    summary: "Governance items: rectification, problems of the month, proactive items (a unit's own, or all)",
  })
  @ApiResponse({ status: 200, type: [GovernanceItemView] })
  @ApiResponse({ status: 400, description: 'A filter is not one of its values' })
  list(@CurrentActor() actor: Actor, @Query() query: ListItemsQueryDto): Promise<GovernanceItemView[]> {
    return this.governance.list(actor, query);
  }

  @Get('items/:id')
  @Roles(...READERS)
  @ApiOperation({ summary: 'One governance item with its plan, milestones, report, deadline and history' })
  @ApiResponse({ status: 200, type: GovernanceItemView })
  @ApiResponse({ status: 400, description: 'id is not a UUID' })
  @ApiResponse({ status: 404, description: "No such item, or another unit's" })
  get(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<GovernanceItemView> {
    return this.governance.get(actor, itemId(id));
  }

  @Get('items/:id/effect')
  @Roles(...READERS)
  @ApiOperation({
    summary: "Case counts of the item's categories and places in the N months before it was opened and since",
  })
  @ApiResponse({ status: 200, type: EffectView })
  @ApiResponse({ status: 400, description: 'id is not a UUID, or months is not 1–24' })
  @ApiResponse({ status: 404, description: "No such item, or another unit's" })
  effect(@CurrentActor() actor: Actor, @Param('id') id: string, @Query() query: EffectQueryDto): Promise<EffectView> {
    return this.governance.effect(actor, itemId(id), query.months);
  }

  @Post('problems')
  @Roles(...CENTRE)
  @ApiOperation({ summary: "Adopt a month's problem-of-the-month candidate as a tracked governance item (每月一题)" })
  @ApiResponse({ status: 201, type: GovernanceItemView, description: 'Adopted; its workflow runs the deadline' })
  @ApiResponse({ status: 400, description: 'Not a candidate of that month, an unknown unit, or a bad field' })
  @ApiResponse({ status: 409, description: 'That candidate of that month is already adopted' })
  @ApiResponse({ status: 503, description: 'Temporal did not start the item; nothing was adopted' })
  adopt(@CurrentActor() actor: Actor, @Body() body: AdoptProblemDto): Promise<GovernanceItemView> {
    return this.governance.adopt(actor, body);
  }

  @Post('items/:id/plan')
  @Roles(...OWNERS)
  @HttpCode(200)
  @ApiOperation({ summary: 'The owner unit submits its plan and milestones (again, until a milestone is done)' })
  @ApiResponse({ status: 200, type: GovernanceItemView })
  @ApiResponse({ status: 400, description: 'A bad field' })
  @ApiResponse({ status: 403, description: 'Not a handler or coordinator of an owner unit' })
  @ApiResponse({ status: 404, description: "No such item, or another unit's" })
  @ApiResponse({ status: 409, description: 'Out of turn: reported, closed, or a milestone already done' })
  plan(
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Body() body: SubmitPlanDto,
  ): Promise<GovernanceItemView> {
    return this.governance.act(actor, itemId(id), {
      type: 'submitPlan',
      plan: body.plan,
      milestones: body.milestones.map((m) => ({ title: m.title, ...(m.due ? { due: m.due } : {}) })),
    });
  }

  @Post('items/:id/milestones/:index/complete')
  @Roles(...OWNERS)
  @HttpCode(200)
  @ApiOperation({ summary: 'The owner unit marks a milestone of its plan done (index from 0)' })
  @ApiResponse({ status: 200, type: GovernanceItemView })
  @ApiResponse({ status: 400, description: 'index is not a milestone number, or a bad field' })
  @ApiResponse({ status: 403, description: 'Not a handler or coordinator of an owner unit' })
  @ApiResponse({ status: 404, description: "No such item, or another unit's" })
  @ApiResponse({ status: 409, description: 'No plan yet, the milestone is done already, or the item is closed' })
  completeMilestone(
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Param('index') index: string,
    @Body() body: CompleteMilestoneDto,
  ): Promise<GovernanceItemView> {
    const number = Number(index);
    if (!/^[0-9]{1,2}$/.test(index) || number >= MAX_MILESTONES) {
      throw invalid('index', 'milestone', `index must be a milestone number 0–${MAX_MILESTONES - 1}`);
    }
    return this.governance.act(actor, itemId(id), {
      type: 'completeMilestone',
      index: number,
      ...(body.note ? { note: body.note } : {}),
    });
  }

  @Post('items/:id/report')
  @Roles(...OWNERS)
  @HttpCode(200)
  @ApiOperation({ summary: 'The owner unit reports the work and its outcome once every milestone is done' })
  @ApiResponse({ status: 200, type: GovernanceItemView })
  @ApiResponse({ status: 400, description: 'A bad field' })
  @ApiResponse({ status: 403, description: 'Not a handler or coordinator of an owner unit' })
  @ApiResponse({ status: 404, description: "No such item, or another unit's" })
  @ApiResponse({ status: 409, description: 'No plan, milestones still open, or reported already' })
  report(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: ReportDto): Promise<GovernanceItemView> {
    return this.governance.act(actor, itemId(id), { type: 'report', report: body.report, outcome: body.outcome });
  }

  @Post('items/:id/close')
  @Roles(...CENTRE)
  @HttpCode(200)
  @ApiOperation({ summary: 'The centre accepts the report and closes the item; the effect is recorded' })
  @ApiResponse({ status: 200, type: GovernanceItemView })
  @ApiResponse({ status: 400, description: 'A bad field' })
  @ApiResponse({ status: 404, description: 'No such item' })
  @ApiResponse({ status: 409, description: 'Not reported yet, or closed already' })
  close(
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Body() body: CloseItemDto,
  ): Promise<GovernanceItemView> {
    return this.governance.act(actor, itemId(id), { type: 'close', note: body.note });
  }
}
