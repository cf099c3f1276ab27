import { Body, Controller, Headers, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiBody,
  ApiExtraModels,
  ApiHeader,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ApiProblemResponses } from '../../../common/http';
import type { IntegrationView } from '../../integrations';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { AcceptMessageCommand } from './accept-message.command';
import {
  INBOUND_PAYLOAD_MODELS,
  inboundRequestBodySchema,
  inboundRequestExamples,
} from './inbound-request.schema';

type InboundRequest = FastifyRequest & { user: IntegrationView };

@ApiTags('Custom Inbound API')
@ApiBearerAuth('integrationApiKey')
@ApiExtraModels(...INBOUND_PAYLOAD_MODELS)
@Controller('integrations/custom/inbound')
export class AcceptMessageController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @HttpCode(202)
  @UseGuards(ApiKeyGuard)
  @ApiOperation({
    summary: 'Push one message (inventory, orders, products, prices, customers) into Avvyr',
    description:
      'Validates the message, queues it durably and answers 202 with its messageId. ' +
      'Send `Idempotency-Key` to make client retries safe: the same key returns the same messageId.',
  })
  @ApiBody({ schema: inboundRequestBodySchema(), examples: inboundRequestExamples() })
  @ApiHeader({
    name: 'idempotency-key',
    required: false,
    description: 'Same key (per integration) → same messageId, queued once',
  })
  @ApiAcceptedResponse({
    description: 'Durably queued; processed at least once',
    schema: {
      type: 'object',
      required: ['messageId'],
      properties: { messageId: { type: 'string', format: 'uuid' } },
    },
  })
  @ApiProblemResponses(400, 401, 403, 409, 413, 415, 503)
  accept(
    @Req() request: InboundRequest,
    @Body() body: unknown,
    @Headers('idempotency-key') idempotencyKey?: string,
  ) {
    return this.commandBus.execute(
      new AcceptMessageCommand(request.user, body, String(request.id), idempotencyKey),
    );
  }
}
