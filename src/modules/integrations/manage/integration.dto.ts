import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsBoolean,
  IsIn,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  MaxLength,
} from 'class-validator';
import { MinProperties } from '../../../common/validation';
import { INTEGRATION_SERVICES, IntegrationService } from '../integration.schema';
import {
  AllowedActionsPatchProperty,
  AllowedActionsProperty,
  InboundPolicyResponseFields,
  RateLimitDto,
  RateLimitPatchProperty,
  RateLimitProperty,
} from './inbound-policy.dto';

export class CreateIntegrationDto {
  @ApiProperty({ enum: INTEGRATION_SERVICES, example: 'custom' })
  @IsIn(INTEGRATION_SERVICES)
  service: IntegrationService;

  @ApiProperty({ example: true })
  @IsBoolean()
  enabled: boolean;

  @ApiProperty({ example: 'My ERP Sync', minLength: 1, maxLength: 200 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional({
    description: 'Service-specific settings (Avasam: consumerKey, secretKey, verificationToken…)',
    type: 'object',
    additionalProperties: true,
  })
  @IsOptional()
  @IsObject()
  settings?: Record<string, unknown>;

  @AllowedActionsProperty() allowedActions?: string[];
  @RateLimitProperty() rateLimit?: RateLimitDto;
}

@MinProperties(1)
export class UpdateIntegrationDto {
  @ApiPropertyOptional({ example: 'My ERP Sync (prod)', minLength: 1, maxLength: 200 })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ example: false })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @IsOptional()
  @IsObject()
  settings?: Record<string, unknown>;

  @AllowedActionsPatchProperty() allowedActions?: string[] | null;
  @RateLimitPatchProperty() rateLimit?: RateLimitDto | null;
}

export class IntegrationResponse extends InboundPolicyResponseFields {
  @ApiProperty({ example: '665f1c2e9a1b2c3d4e5f6a7b' }) id: string;
  @ApiProperty({ enum: INTEGRATION_SERVICES }) service: IntegrationService;
  @ApiProperty() name: string;
  @ApiProperty() enabled: boolean;
  @ApiProperty({ example: 'avvyr_int_live_Ab3x…' }) apiKeyPrefix: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) settings: Record<string, unknown>;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

export class IntegrationWithKeyResponse extends IntegrationResponse {
  @ApiProperty({
    description: 'The API key. Shown only in this response: store it securely.',
    example: 'avvyr_int_live_3q2-7wVg…',
  })
  apiKey: string;
}
