import { Body, Controller, Get, HttpCode, Param, Patch, Post, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ApiProblemResponses } from '../../../common/http';
import { Env } from '../../../config/env';
import { ManagementAuthGuard } from '../auth/management-auth.guard';
import { ManagementPrincipal } from '../auth/management-token.service';
import { Principal } from '../auth/principal.decorator';
import { IntegrationView } from '../integration.schema';
import {
  CreateIntegrationDto,
  IntegrationResponse,
  IntegrationWithKeyResponse,
  UpdateIntegrationDto,
} from './integration.dto';
import { IntegrationsService } from './integrations.service';
import { RegenerateKeyDto } from './inbound-policy.dto';
import { presentInboundPolicy } from './present-inbound-policy';

@ApiTags('Management: integrations')
@ApiBearerAuth('managementToken')
@ApiProblemResponses(401, 503)
@UseGuards(ManagementAuthGuard)
@Controller('v1/integrations')
export class IntegrationsController {
  constructor(
    private readonly integrations: IntegrationsService,
    private readonly env: Env,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Create an integration; the response carries its API key, once' })
  @ApiCreatedResponse({ type: IntegrationWithKeyResponse })
  @ApiProblemResponses(400)
  async create(@Principal() principal: ManagementPrincipal, @Body() dto: CreateIntegrationDto) {
    const { integration, apiKey } = await this.integrations.create(principal.accountId, dto);
    return { ...this.render(integration), apiKey };
  }

  @Get()
  @ApiOperation({ summary: "List the account's integrations" })
  @ApiOkResponse({ type: [IntegrationResponse] })
  async list(@Principal() principal: ManagementPrincipal) {
    const integrations = await this.integrations.list(principal.accountId);
    return integrations.map((integration) => this.render(integration));
  }

  @Get(':id')
  @ApiOperation({ summary: 'Read one integration (never its key or secrets)' })
  @ApiOkResponse({ type: IntegrationResponse })
  @ApiProblemResponses(404)
  async get(@Principal() principal: ManagementPrincipal, @Param('id') id: string) {
    return this.render(await this.integrations.get(principal.accountId, id));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Rename, enable or disable an integration, or replace its settings' })
  @ApiOkResponse({ type: IntegrationResponse })
  @ApiProblemResponses(400, 404)
  async update(
    @Principal() principal: ManagementPrincipal,
    @Param('id') id: string,
    @Body() dto: UpdateIntegrationDto,
  ) {
    return this.render(await this.integrations.update(principal.accountId, id, dto));
  }

  @Post(':id/regenerate-key')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Issue a new API key; the old one stops at once, or after graceSeconds',
    description:
      'The body is optional. With `graceSeconds` (up to 86,400) the current key keeps working ' +
      'beside the new one until `previousApiKey.expiresAt`, so a source can switch keys without ' +
      'dropping messages; without it (or 0) the current key stops working at once.',
  })
  @ApiBody({ type: RegenerateKeyDto, required: false })
  @ApiOkResponse({ type: IntegrationWithKeyResponse })
  @ApiProblemResponses(400, 404, 409)
  async regenerateKey(
    @Principal() principal: ManagementPrincipal,
    @Param('id') id: string,
    @Body() dto: RegenerateKeyDto,
  ) {
    const { integration, apiKey } = await this.integrations.regenerateKey(
      principal.accountId,
      id,
      dto.graceSeconds,
    );
    return { ...this.render(integration), apiKey };
  }

  private render(integration: IntegrationView) {
    return {
      id: integration.id,
      service: integration.service,
      name: integration.name,
      enabled: integration.enabled,
      apiKeyPrefix: integration.apiKeyPrefix,
      ...presentInboundPolicy(integration, this.env),
      settings: this.integrations.present(integration),
      createdAt: integration.createdAt,
      updatedAt: integration.updatedAt,
    };
  }
}
