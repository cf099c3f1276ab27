import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblemResponses } from '../../../common/http';
import { ManagementAuthGuard, ManagementPrincipal, Principal } from '../../integrations';
import { StatsQueryDto, StatsResponse } from './stats.dto';
import { StatsQueryService } from './stats-query.service';

@ApiTags('Management: events')
@ApiBearerAuth('managementToken')
@ApiProblemResponses(401)
@UseGuards(ManagementAuthGuard)
@Controller('v1/integrations/events')
export class StatsController {
  constructor(private readonly stats: StatsQueryService) {}

  @Get('stats')
  @ApiOperation({
    summary: "The account's message counts, rates and top errors over 1 h, 24 h or 7 d",
    description:
      'Read from per-account counters kept in Redis by minute and hour (never a scan of events): counts by status, received / succeeded / failed per point by source and action (1 min points for 1h, 15 min for 24h, 1 h for 7d), the top error codes of failed messages, and the depth of the service-wide queues with their oldest waiting job.',
  })
  @ApiOkResponse({ type: StatsResponse })
  @ApiProblemResponses(400, 503)
  get(@Principal() principal: ManagementPrincipal, @Query() query: StatsQueryDto) {
    return this.stats.overview(principal.accountId, query.window ?? '1h', {
      integrationId: query.integrationId,
    });
  }
}
