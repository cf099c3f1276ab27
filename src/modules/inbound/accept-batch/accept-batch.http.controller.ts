import { Body, Controller, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiBody,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ApiProblemResponses } from '../../../common/http';
import type { IntegrationView } from '../../integrations';
import { ApiKeyGuard } from '../auth/api-key.guard';
import {
  batchMessageCount,
  CountsMessages,
  InboundRateLimitGuard,
} from '../rate-limit/inbound-rate-limit.guard';
import { RATE_LIMIT_HEADERS, RATE_LIMITED_PROBLEM } from '../rate-limit/rate-limit.openapi';
import { MAX_BATCH_MESSAGES } from './accept-batch.handler';
import { AcceptBatchCommand } from './accept-batch.command';
import { batchRequestSchema, batchResponseSchema } from './batch.schema';

type InboundRequest = FastifyRequest & { user: IntegrationView };

/** Route of the batch endpoint; its body limit (5 MiB) is set on it at start-up. */
export const BATCH_ROUTE = '/integrations/custom/inbound/batch';

@ApiTags('Custom Inbound API')
@ApiBearerAuth('integrationApiKey')
@Controller('integrations/custom/inbound/batch')
export class AcceptBatchController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @HttpCode(202)
  @UseGuards(ApiKeyGuard, InboundRateLimitGuard)
  @CountsMessages(batchMessageCount(MAX_BATCH_MESSAGES))
  @ApiOperation({
    summary: 'Push up to 1,000 messages in one request',
    description:
      'Each message is validated on its own, as `POST /integrations/custom/inbound` would: valid ' +
      'ones are queued (all of them in one Redis transaction, in array order, which is their ' +
      'order on their entity keys), invalid ones are not. The answer lists every message in ' +
      'order. A message may carry its own `idempotencyKey` (as the Idempotency-Key header of a ' +
      'single request). 400 only when the envelope is bad or no message is valid (403 when every ' +
      'message was refused only for its action). The batch counts its messages against the ' +
      'rate limit: over it, the whole batch is a 429 and nothing is queued. Body ≤ 5 MiB.',
  })
  @ApiBody({ schema: batchRequestSchema() })
  @ApiAcceptedResponse({
    description: 'Every valid message durably queued; one result per message',
    headers: RATE_LIMIT_HEADERS,
    schema: batchResponseSchema(),
  })
  @ApiProblemResponses(400, 401, 403, RATE_LIMITED_PROBLEM, 413, 415, 503)
  accept(@Req() request: InboundRequest, @Body() body: unknown) {
    return this.commandBus.execute(new AcceptBatchCommand(request.user, body, String(request.id)));
  }
}
