import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, MaxLength, Min } from 'class-validator';
import { AvasamDateTime, ItemList, Price, Text } from './notification-rules';

/** What every notification carries around its items (Avasam's webhook body). */
export abstract class NotificationEnvelope {
  @ApiProperty({ example: 'b8a1c3f0-5d2e-4f7a-9c41-0e6f2d9a7b10', minLength: 1, maxLength: 200 })
  @Text()
  requestId: string;

  /** Kept for the record only: a format we did not expect must not cost the notification. */
  @ApiPropertyOptional({
    description: 'UTC time Avasam sent it',
    example: '2024-05-01T10:00:02Z',
    maxLength: 100,
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  on?: string;

  @ApiProperty({
    description: 'JWT (HS256, signed with the verification token) whose payload holds requestId',
  })
  @IsOptional()
  @IsString()
  token?: string;
}

export class StockUpdateItem {
  @ApiProperty({ example: 'AVA-CHAIR-01', minLength: 1, maxLength: 200 })
  @Text()
  sku: string;

  @ApiProperty({ type: 'integer', example: 12, minimum: 0 })
  @IsInt()
  @Min(0)
  quantity: number;

  @ApiProperty({ example: '2024-05-01T10:00:00Z', format: 'date-time' })
  @AvasamDateTime()
  updatedOn: string;
}

export class StockUpdateBody extends NotificationEnvelope {
  @ApiProperty({ type: [StockUpdateItem] })
  @ItemList(() => StockUpdateItem)
  data: StockUpdateItem[];
}

/** One of price, sellingPrice or costPrice: its value goes to the integration's `priceField`. */
export class PriceUpdateItem {
  @ApiProperty({ example: 'AVA-CHAIR-01', minLength: 1, maxLength: 200 })
  @Text()
  sku: string;

  @ApiPropertyOptional({ example: 18.5, minimum: 0 })
  @IsOptional()
  @Price()
  price?: number;

  @ApiPropertyOptional({ minimum: 0 })
  @IsOptional()
  @Price()
  sellingPrice?: number;

  @ApiPropertyOptional({ minimum: 0 })
  @IsOptional()
  @Price()
  costPrice?: number;

  @ApiProperty({ example: '2024-05-01T10:00:00Z', format: 'date-time' })
  @AvasamDateTime()
  updatedOn: string;
}

export class PriceUpdateBody extends NotificationEnvelope {
  @ApiProperty({ type: [PriceUpdateItem] })
  @ItemList(() => PriceUpdateItem)
  data: PriceUpdateItem[];
}

export const PRICE_KEYS = ['price', 'sellingPrice', 'costPrice'] as const;
