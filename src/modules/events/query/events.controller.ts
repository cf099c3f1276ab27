import { Body, Controller, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiBody,
  ApiExcludeEndpoint,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ApiProblemResponses } from '../../../common/http';
import { ErrorCode, NotFoundError } from '../../../common/errors';
import { ManagementAuthGuard, ManagementPrincipal, Principal } from '../../integrations';
import { RetryEventCommand } from '../retry/retry-event.command';
import { EventDetailResponse, EventsPageResponse, RetryAcceptedResponse } from './event.response';
import { EventsFilterDto } from './events-filter.dto';
import { EventsQueryService } from './events-query.service';

@ApiTags('Management: events')
@ApiBearerAuth('managementToken')
@ApiProblemResponses(401, 503)
@UseGuards(ManagementAuthGuard)
@Controller('v1/integrations/events')
export class EventsController {
  constructor(
    private readonly query: EventsQueryService,
    private readonly commandBus: CommandBus,
  ) {}

  /** There is no list route here; say which one there is instead of "event … not found". */
  @Get()
  @ApiExcludeEndpoint()
  list(): never {
    throw new NotFoundError(
      ErrorCode.NotFound,
      'There is no GET /v1/integrations/events: list events with POST /v1/integrations/events/filter (body {integrationId?, status?, …, limit?, cursor?}), read one with GET /v1/integrations/events/{messageId}.',
    );
  }

  @Post('filter')
  @HttpCode(200)
  @ApiOperation({ summary: 'Find events, newest first, one page at a time' })
  @ApiBody({
    type: EventsFilterDto,
    examples: {
      failed: {
        summary: 'Failed events of one integration',
        value: { integrationId: '665f1c2e9a1b2c3d4e5f6a7b', status: 'failed', limit: 20 },
      },
      window: {
        summary: 'inventory.set in a time window',
        value: {
          action: 'inventory.set',
          from: '2026-01-01T00:00:00Z',
          to: '2026-01-02T00:00:00Z',
        },
      },
      all: { summary: 'Everything, newest first', value: {} },
    },
  })
  @ApiOkResponse({ type: EventsPageResponse })
  @ApiProblemResponses(400)
  filter(@Principal() principal: ManagementPrincipal, @Body() dto: EventsFilterDto) {
    return this.query.filter(principal.accountId, dto);
  }

  @Get(':messageId')
  @ApiOperation({ summary: 'One event: status, attempts, timeline, last error, result, payload' })
  @ApiOkResponse({ type: EventDetailResponse })
  @ApiProblemResponses(404)
  get(@Principal() principal: ManagementPrincipal, @Param('messageId') messageId: string) {
    return this.query.get(principal.accountId, messageId);
  }

  @Post(':messageId/retry')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Queue a failed event again under the same messageId',
    description:
      '409 EVENT_NOT_RETRYABLE when the event is not failed, or while another retry of it is ' +
      'in progress: of concurrent retries of one event, exactly one queues a new run. ' +
      '503 QUEUE_OUTCOME_UNKNOWN when REDIS_WAIT_REPLICAS replicas did not confirm the retry ' +
      'in time: it may have been queued, so read the event before retrying again.',
  })
  @ApiAcceptedResponse({ type: RetryAcceptedResponse })
  @ApiProblemResponses(404, 409, 503)
  retry(@Principal() principal: ManagementPrincipal, @Param('messageId') messageId: string) {
    return this.commandBus.execute(
      new RetryEventCommand(principal.accountId, messageId, principal.sub),
    );
  }
}
