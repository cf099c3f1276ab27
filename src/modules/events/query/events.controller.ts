import { Body, Controller, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ManagementAuthGuard, ManagementPrincipal, Principal } from '../../integrations';
import { RetryEventCommand } from '../retry/retry-event.command';
import { EventsFilterDto } from './events-filter.dto';
import { EventsQueryService } from './events-query.service';

@ApiTags('Management: events')
@ApiBearerAuth('managementToken')
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
  filter(@Principal() principal: ManagementPrincipal, @Body() dto: EventsFilterDto) {
    return this.query.filter(principal.accountId, dto);
  }

  @Get(':messageId')
  @ApiOperation({ summary: 'One event: status, attempts, timeline, last error, result, payload' })
  get(@Principal() principal: ManagementPrincipal, @Param('messageId') messageId: string) {
    return this.query.get(principal.accountId, messageId);
  }

  @Post(':messageId/retry')
  @HttpCode(202)
  @ApiOperation({ summary: 'Queue a failed event again under the same messageId' })
  retry(@Principal() principal: ManagementPrincipal, @Param('messageId') messageId: string) {
    return this.commandBus.execute(
      new RetryEventCommand(principal.accountId, messageId, principal.sub),
    );
  }
}
