import { Body, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ApiProblemResponses } from '../../../common/http';
import type { NotificationKind } from '../notifications/notification-kinds';
import { PriceUpdateBody, StockUpdateBody } from '../notifications/notification.body';
import {
  PRICE_UPDATE_EXAMPLES,
  STOCK_UPDATE_EXAMPLES,
} from '../notifications/notification.examples';
import { ReceiveNotificationCommand } from './receive-notification.command';

const received = {
  description: 'Verified and durably queued (or already received: `duplicate: true`)',
  schema: {
    type: 'object',
    properties: {
      received: { type: 'boolean', example: true },
      messageId: { type: 'string', format: 'uuid' },
      requestId: { type: 'string' },
      duplicate: { type: 'boolean' },
    },
  },
};

/**
 * The two URLs a seller pastes into Avasam's webhook settings. Thin: the body is typed `unknown`
 * on purpose, because it is verified (JWT) before it is validated against its DTO.
 */
@ApiTags('Avasam webhooks')
@ApiExtraModels(StockUpdateBody, PriceUpdateBody)
@ApiProblemResponses(400, 401, 403, 404, 413, 415, 503)
@Controller('webhooks/avasam/:integrationId')
export class AvasamWebhookController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post('stock-update')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Avasam stock update notification (signed with the verification token)',
  })
  @ApiBody({ type: StockUpdateBody, examples: STOCK_UPDATE_EXAMPLES })
  @ApiOkResponse(received)
  stockUpdate(
    @Param('integrationId') integrationId: string,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
  ) {
    return this.receive(integrationId, 'stock', body, request);
  }

  @Post('price-update')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Avasam price update notification (signed with the verification token)',
  })
  @ApiBody({ type: PriceUpdateBody, examples: PRICE_UPDATE_EXAMPLES })
  @ApiOkResponse(received)
  priceUpdate(
    @Param('integrationId') integrationId: string,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
  ) {
    return this.receive(integrationId, 'price', body, request);
  }

  private receive(
    integrationId: string,
    kind: NotificationKind,
    body: unknown,
    request: FastifyRequest,
  ) {
    return this.commandBus.execute(
      new ReceiveNotificationCommand(integrationId, kind, body, String(request.id)),
    );
  }
}
