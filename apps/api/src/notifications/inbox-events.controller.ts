import { Controller, MessageEvent, Sse } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Observable } from 'rxjs';
import type { Actor } from '../../../../libs/domain/src/lifecycle/lifecycle.types';
import { CurrentActor } from '../auth/auth.decorators';
import { InboxEvents } from './inbox-events';

@ApiTags('notifications')
@Controller('api/v1/me')
export class InboxEventsController {
  constructor(private readonly events: InboxEvents) {}

  @Sse('inbox-events')
  @ApiOperation({
    summary: "Server-sent events whenever the caller's unit's inbox changes",
    description:
      '`ready` once subscribed (load the inbox then), `inbox` per change (`{unitId, reason, kind?, caseNo?, at}`; ' +
      'reason `notification`, `tasks` or `resync`: reload), `heartbeat` (no data) while idle. Needs the bearer ' +
      'token in the header, so browsers read it with fetch() rather than EventSource.',
  })
  @ApiProduces('text/event-stream')
  @ApiResponse({ status: 200, description: 'An open event stream, until the client or the server closes it' })
  @ApiResponse({ status: 401, description: 'No valid bearer token' })
  inboxEvents(@CurrentActor() actor: Actor): Observable<MessageEvent> {
    return this.events.stream(actor.unitId);
  }
}
