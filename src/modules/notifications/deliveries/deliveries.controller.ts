import { Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblemResponses } from '../../../common/http';
import { ManagementAuthGuard, ManagementPrincipal, Principal } from '../../integrations';
import { NOT_CONFIGURED_404 } from '../settings/notification-settings.controller';
import { DeliveriesQueryDto, DeliveriesResponse, DeliveryView } from './deliveries.dto';
import { DeliveriesService, deliveryView } from './deliveries.service';

@ApiTags('Management: notifications')
@ApiBearerAuth('managementToken')
@ApiProblemResponses(401, 503)
@UseGuards(ManagementAuthGuard)
@Controller('v1/integrations/:id/notifications')
export class DeliveriesController {
  constructor(private readonly deliveries: DeliveriesService) {}

  @Get('deliveries')
  @ApiOperation({ summary: "The integration's newest deliveries: status, attempts, last answer" })
  @ApiOkResponse({ type: DeliveriesResponse })
  @ApiProblemResponses(400, { status: 404, examples: [NOT_CONFIGURED_404.examples[0]] })
  async list(
    @Principal() principal: ManagementPrincipal,
    @Param('id') id: string,
    @Query() query: DeliveriesQueryDto,
  ) {
    const items = await this.deliveries.list(principal.accountId, id, {
      limit: query.limit ?? 20,
      status: query.status,
    });
    return { items };
  }

  @Post('test')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Send a message.test delivery now, once, and answer with its outcome',
  })
  @ApiOkResponse({ type: DeliveryView })
  @ApiProblemResponses(NOT_CONFIGURED_404)
  async test(@Principal() principal: ManagementPrincipal, @Param('id') id: string) {
    const result = await this.deliveries.sendTest(principal.accountId, id);
    if (!result.delivery) throw new Error('The test delivery was sent but not recorded');
    return deliveryView(result.delivery);
  }
}
