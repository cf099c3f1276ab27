import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  MaxLength,
} from 'class-validator';
import { SUBSCRIBABLE_TYPES, SubscribableType } from '../notification-types';
import { MAX_URL_LENGTH } from '../deliveries/url-policy';

/** `PUT /v1/integrations/{id}/notifications`: where to send which notifications. */
export class NotificationSettingsDto {
  @ApiProperty({
    description:
      'Where deliveries are POSTed. https, not to a private address, unless NOTIFICATIONS_ALLOW_HTTP',
    example: 'https://erp.example.com/hooks/avvyr',
    maxLength: MAX_URL_LENGTH,
  })
  @IsString()
  @MaxLength(MAX_URL_LENGTH)
  url: string;

  @ApiPropertyOptional({
    description: 'The notifications wanted (default: only message.failed)',
    enum: SUBSCRIBABLE_TYPES,
    isArray: true,
    uniqueItems: true,
    minItems: 1,
    example: ['message.failed'],
  })
  @IsOptional()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @IsIn(SUBSCRIBABLE_TYPES, { each: true })
  events?: SubscribableType[];
}

export class NotificationSettingsResponse {
  @ApiProperty({ example: 'https://erp.example.com/hooks/avvyr' }) url: string;
  @ApiProperty({ enum: SUBSCRIBABLE_TYPES, isArray: true }) events: string[];
  @ApiProperty({ example: 'whsec_MfKQ', description: 'The first characters of the secret' })
  secretPrefix: string;
  @ApiPropertyOptional({
    description:
      'The signing secret (Standard Webhooks `whsec_…`). Only in the answer that generated it ' +
      '(the first PUT, rotate-secret): store it securely.',
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  })
  secret?: string;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}
