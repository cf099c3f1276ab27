import { Body, Controller, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ApiProblemResponses } from '../../../common/http';
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

  @Post('filter')
  @HttpCode(200)
  @ApiOperation({ summary: 'Find events, newest first, one page at a time' })
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
  @ApiOperation({ summary: 'Queue a failed event again under the same messageId' })
  @ApiAcceptedResponse({ type: RetryAcceptedResponse })
  @ApiProblemResponses(404, 409, 503)
  retry(@Principal() principal: ManagementPrincipal, @Param('messageId') messageId: string) {
    return this.commandBus.execute(
      new RetryEventCommand(principal.accountId, messageId, principal.sub),
    );
  }
}
