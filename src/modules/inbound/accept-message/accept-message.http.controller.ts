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
import { ErrorCode } from '../../../common/errors';
import { ApiProblemResponses, ProblemSpec } from '../../../common/http';
import type { IntegrationView } from '../../integrations';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { InboundRateLimitGuard } from '../rate-limit/inbound-rate-limit.guard';
import { RATE_LIMIT_HEADERS, RATE_LIMITED_PROBLEM } from '../rate-limit/rate-limit.openapi';
import { AcceptMessageCommand } from './accept-message.command';
import {
  INBOUND_PAYLOAD_MODELS,
  inboundRequestBodySchema,
  inboundRequestExamples,
} from './inbound-request.schema';

type InboundRequest = FastifyRequest & { user: IntegrationView };

/** The inbound API's error answers, each with the codes it really carries as examples. */
const INBOUND_PROBLEMS: ProblemSpec[] = [
  {
    status: 400,
    examples: [
      {
        code: ErrorCode.ValidationFailed,
        title: 'Validation failed',
        detail: 'The request body is invalid.',
      },
      {
        code: ErrorCode.UnknownAction,
        title: 'Bad request',
        detail: 'Unknown action "stock.set". Supported actions: inventory.set, inventory.adjust, …',
      },
      {
        code: ErrorCode.MalformedJson,
        title: 'Malformed JSON',
        detail: 'The body is not valid JSON: Unexpected end of JSON input',
      },
    ],
  },
  {
    status: 401,
    examples: [
      {
        code: ErrorCode.InvalidApiKey,
        title: 'Unauthorized',
        detail: 'Missing or unknown API key. Send `Authorization: Bearer <api-key>`.',
      },
    ],
  },
  {
    status: 403,
    examples: [
      {
        code: ErrorCode.IntegrationDisabled,
        title: 'Forbidden',
        detail: 'This integration is disabled.',
      },
      {
        code: ErrorCode.IntegrationServiceMismatch,
        title: 'Forbidden',
        detail:
          'This key belongs to a avasam integration; the inbound API takes custom integration keys only.',
      },
      {
        code: ErrorCode.ActionNotAllowed,
        title: 'Action not allowed',
        detail:
          'This integration may not send order.create. Allowed actions: inventory.set, price.set.',
      },
    ],
  },
  {
    status: 409,
    examples: [
      {
        code: ErrorCode.Conflict,
        title: 'Conflict',
        detail: 'This Idempotency-Key was already used for a different request.',
      },
    ],
  },
];

@ApiTags('Custom Inbound API')
@ApiBearerAuth('integrationApiKey')
@ApiExtraModels(...INBOUND_PAYLOAD_MODELS)
@Controller('integrations/custom/inbound')
export class AcceptMessageController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @HttpCode(202)
  @UseGuards(ApiKeyGuard, InboundRateLimitGuard)
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
    headers: RATE_LIMIT_HEADERS,
    schema: {
      type: 'object',
      required: ['messageId'],
      properties: { messageId: { type: 'string', format: 'uuid' } },
    },
  })
  @ApiProblemResponses(...INBOUND_PROBLEMS, RATE_LIMITED_PROBLEM, 413, 415, 500, 503)
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
