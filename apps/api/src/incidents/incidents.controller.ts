import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../../../libs/domain/src/lifecycle/lifecycle.types';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { IncidentView, ListIncidentsQueryDto, ResolveIncidentDto } from './incidents.dto';
import { IncidentsService } from './incidents.service';

@ApiTags('incidents')
@ApiBearerAuth()
@Controller('api/v1/incidents')
export class IncidentsController {
  constructor(private readonly incidents: IncidentsService) {}

  @Get()
  @Roles('operator', 'admin')
  @ApiOperation({ summary: 'Steps of cases that failed for a reason retries cannot fix (default: not resolved)' })
  @ApiResponse({ status: 200, type: [IncidentView] })
  list(@Query() query: ListIncidentsQueryDto): Promise<IncidentView[]> {
    return this.incidents.list(query.status);
  }

  @Post(':id/retry')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Retry the failed steps of the case after a fix; resolved when the step succeeds' })
  @ApiResponse({ status: 200, type: IncidentView })
  @ApiResponse({ status: 404, description: 'No such incident' })
  @ApiResponse({
    status: 409,
    description: 'The incident is resolved, or its workflow has ended (only a resolve is left)',
  })
  retry(@Param('id') id: string, @CurrentActor() actor: Actor): Promise<IncidentView> {
    return this.incidents.retry(id, actor);
  }

  @Post(':id/resolve')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Resolve an incident by hand: the failed step is dropped, the reason audited' })
  @ApiResponse({ status: 200, type: IncidentView })
  @ApiResponse({ status: 404, description: 'No such incident' })
  @ApiResponse({ status: 409, description: 'The incident is resolved' })
  resolve(
    @Param('id') id: string,
    @Body() body: ResolveIncidentDto,
    @CurrentActor() actor: Actor,
  ): Promise<IncidentView> {
    return this.incidents.resolve(id, body.reason, actor);
  }
}
