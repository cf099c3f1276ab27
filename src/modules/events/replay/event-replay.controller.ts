import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Post,
  Res,
  UseGuards,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiBody,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiProblemResponses } from '../../../common/http';
import { ManagementAuthGuard, ManagementPrincipal, Principal } from '../../integrations';
import { EventReplayService } from './event-replay.service';
import { ReplayRequestDto } from './replay-request.dto';
import { ReplayAcceptedResponse, ReplayCountResponse, ReplayResponse } from './replay.response';

@ApiTags('Management: events')
@ApiBearerAuth('managementToken')
@ApiProblemResponses(401, 503)
@UseGuards(ManagementAuthGuard)
@Controller('v1/integrations/events')
export class EventReplayController {
  constructor(private readonly replays: EventReplayService) {}

  @Post('retry')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Retry every failed event a filter matches (or up to 1,000 given ids), as a job',
    description:
      "Body: the events list's filter (status `failed` by default and only), or `{messageIds}`; `dryRun: true` only counts (200). The replay runs in the background, a page at a time; follow it with GET /v1/integrations/events/retries/{replayId}.",
  })
  @ApiBody({
    type: ReplayRequestDto,
    examples: {
      integration: {
        summary: 'Every failed event of one integration',
        value: { integrationId: '665f1c2e9a1b2c3d4e5f6a7b' },
      },
      window: {
        summary: 'Failed inventory.set in a time window, counted only',
        value: {
          action: 'inventory.set',
          from: '2026-01-01T00:00:00Z',
          to: '2026-01-02T00:00:00Z',
          dryRun: true,
        },
      },
      ids: {
        summary: 'These events',
        value: { messageIds: ['6f1c2e9a-1b2c-4d4e-8f6a-7b0000000001'] },
      },
    },
  })
  @ApiAcceptedResponse({ type: ReplayAcceptedResponse, description: 'The replay was started' })
  @ApiExtraModels(ReplayCountResponse)
  @ApiOkResponse({
    description: '`dryRun: true`: how many events it would retry; nothing is queued',
    schema: { $ref: getSchemaPath(ReplayCountResponse) },
  })
  @ApiProblemResponses(400)
  async start(
    @Principal() principal: ManagementPrincipal,
    @Body() dto: ReplayRequestDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ReplayAcceptedResponse | ReplayCountResponse> {
    const started = await this.replays.start(principal.accountId, principal.sub, dto);
    if (!started.replayId) {
      reply.status(200);
      return { matched: started.matched };
    }
    return { replayId: started.replayId, matched: started.matched };
  }

  @Get('retries/:replayId')
  @ApiOperation({ summary: "A bulk replay's progress: status and counts" })
  @ApiOkResponse({ type: ReplayResponse })
  @ApiProblemResponses(404)
  get(@Principal() principal: ManagementPrincipal, @Param('replayId') replayId: string) {
    return this.replays.get(principal.accountId, replayId);
  }

  @Delete('retries/:replayId')
  @ApiOperation({
    summary: 'Cancel a running bulk replay (it stops before its next page)',
    description: 'Events it already queued stay queued and are processed.',
  })
  @ApiOkResponse({ type: ReplayResponse, description: 'The replay, now `cancelled`' })
  @ApiProblemResponses(404, 409)
  cancel(@Principal() principal: ManagementPrincipal, @Param('replayId') replayId: string) {
    return this.replays.cancel(principal.accountId, replayId);
  }
}
