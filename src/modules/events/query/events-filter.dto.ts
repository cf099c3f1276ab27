import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { MESSAGE_STATUSES, MessageStatus } from '../timeline/message-step';

export class EventsFilterDto {
  @ApiPropertyOptional({ example: '665f1c2e9a1b2c3d4e5f6a7b', maxLength: 100 })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  integrationId?: string;

  @ApiPropertyOptional({ enum: MESSAGE_STATUSES, example: 'failed' })
  @IsOptional()
  @IsIn(MESSAGE_STATUSES)
  status?: MessageStatus;

  @ApiPropertyOptional({ example: 'inventory.set', maxLength: 100 })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  action?: string;

  @ApiPropertyOptional({ example: 'SKU-12345', maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  entityId?: string;

  @ApiPropertyOptional({
    description: "Code of the event's last error (the overview's top failing codes link here)",
    example: 'AVVYR_HTTP_422',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  errorCode?: string;

  @ApiPropertyOptional({
    description:
      'Events whose payload names this SKU (exact): inbound items, products, order lines, Avasam items',
    example: 'CHAIR-UNO-BLK',
  })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  sku?: string;

  @ApiPropertyOptional({
    description: "The source's own id (exact): Avasam's requestId, an order's externalId",
    example: 'ERP-ORDER-789',
  })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  externalId?: string;

  @ApiPropertyOptional({ enum: ['inbound', 'avasam'] })
  @IsOptional()
  @IsIn(['inbound', 'avasam'])
  source?: string;

  @ApiPropertyOptional({
    description: 'Received at or after (ISO 8601)',
    example: '2026-01-01T00:00:00Z',
  })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  from?: Date;

  @ApiPropertyOptional({ description: 'Received before (ISO 8601)' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  to?: Date;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page', maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  cursor?: string;
}
