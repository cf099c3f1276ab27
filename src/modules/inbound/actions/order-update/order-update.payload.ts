import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsIn, IsOptional, ValidateIf } from 'class-validator';
import { RequiredText } from '../payload-rules';

export const ORDER_STATUSES = [
  'pending',
  'confirmed',
  'processing',
  'shipped',
  'delivered',
  'cancelled',
  'returned',
] as const;

export class OrderUpdatePayload {
  @ApiPropertyOptional({ enum: ORDER_STATUSES, example: 'shipped' })
  @ValidateIf((payload: OrderUpdatePayload) => payload.trackingNumber === undefined)
  @IsDefined({ message: 'status or trackingNumber is required' })
  @IsIn(ORDER_STATUSES)
  status?: (typeof ORDER_STATUSES)[number];

  @ApiPropertyOptional({ example: 'PKG-123456789' })
  @IsOptional()
  @RequiredText()
  trackingNumber?: string;
}
