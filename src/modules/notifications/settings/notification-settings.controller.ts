import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Post,
  Put,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblemResponses } from '../../../common/http';
import { ErrorCode } from '../../../common/errors';
import { ManagementAuthGuard, ManagementPrincipal, Principal } from '../../integrations';
import { NotificationSettingsDto, NotificationSettingsResponse } from './notification-settings.dto';
import { NotificationSettings } from './notification-settings.schema';
import { NotificationSettingsService } from './notification-settings.service';

export const NOT_CONFIGURED_404 = {
  status: 404,
  examples: [
    {
      code: ErrorCode.IntegrationNotFound,
      title: 'Not found',
      detail: 'Integration 665f1c2e9a1b2c3d4e5f6a7b was not found.',
    },
    {
      code: ErrorCode.NotificationsNotConfigured,
      title: 'Not found',
      detail: 'Integration 665f… has no notification settings: PUT …/notifications first.',
    },
  ],
};
const INTEGRATION_404 = { status: 404, examples: [NOT_CONFIGURED_404.examples[0]] };

@ApiTags('Management: notifications')
@ApiBearerAuth('managementToken')
@ApiProblemResponses(401, 503)
@UseGuards(ManagementAuthGuard)
@Controller('v1/integrations/:id/notifications')
export class NotificationSettingsController {
  constructor(private readonly settings: NotificationSettingsService) {}

  @Get()
  @ApiOperation({ summary: "An integration's notification settings (never the secret)" })
  @ApiOkResponse({ type: NotificationSettingsResponse })
  @ApiProblemResponses(NOT_CONFIGURED_404)
  async get(@Principal() principal: ManagementPrincipal, @Param('id') id: string) {
    return render(await this.settings.get(principal.accountId, id));
  }

  @Put()
  @ApiOperation({
    summary: 'Send notifications to a URL; the first time, the answer carries the secret, once',
  })
  @ApiOkResponse({ type: NotificationSettingsResponse })
  @ApiProblemResponses(400, INTEGRATION_404)
  async put(
    @Principal() principal: ManagementPrincipal,
    @Param('id') id: string,
    @Body() dto: NotificationSettingsDto,
  ) {
    const { settings, secret } = await this.settings.put(principal.accountId, id, dto);
    return render(settings, secret);
  }

  @Post('rotate-secret')
  @HttpCode(200)
  @ApiOperation({ summary: 'A new signing secret (shown once); the old one is not used again' })
  @ApiOkResponse({ type: NotificationSettingsResponse })
  @ApiProblemResponses(NOT_CONFIGURED_404)
  async rotate(@Principal() principal: ManagementPrincipal, @Param('id') id: string) {
    const { settings, secret } = await this.settings.rotateSecret(principal.accountId, id);
    return render(settings, secret);
  }

  @Delete()
  @ApiOperation({
    summary: 'Stop notifications; deletes the settings and the secret, answers what was deleted',
  })
  @ApiOkResponse({ type: NotificationSettingsResponse, description: 'The deleted settings' })
  @ApiProblemResponses(NOT_CONFIGURED_404)
  async remove(@Principal() principal: ManagementPrincipal, @Param('id') id: string) {
    return render(await this.settings.remove(principal.accountId, id));
  }
}

function render(settings: NotificationSettings, secret?: string) {
  return {
    url: settings.url,
    events: settings.events,
    secretPrefix: settings.secretPrefix,
    ...(secret && { secret }),
    createdAt: settings.createdAt,
    updatedAt: settings.updatedAt,
  };
}
