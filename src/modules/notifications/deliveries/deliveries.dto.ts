import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { DELIVERY_STATUSES, DeliveryStatus } from './notification-delivery.schema';

export const MAX_LISTED_DELIVERIES = 100;

export class DeliveriesQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_LISTED_DELIVERIES, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_LISTED_DELIVERIES)
  limit?: number;

  @ApiPropertyOptional({ enum: DELIVERY_STATUSES })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES)
  status?: DeliveryStatus;
}

class DeliveryAnswer {
  @ApiPropertyOptional({ example: 500, description: 'Absent when there was no answer' })
  status?: number;
  @ApiPropertyOptional({ example: '{"error":"boom"}', description: 'First 1,000 characters' })
  body?: string;
  @ApiPropertyOptional({ example: 'no answer within 5000 ms' })
  error?: string;
  @ApiProperty() at: string;
  @ApiProperty({ example: 12 }) durationMs: number;
}

export class DeliveryView {
  @ApiProperty({
    description: 'The webhook-id header: msg_<messageId>_<failed|succeeded|superseded>_<run>',
    example: 'msg_0d6c2f5e-8a1b-4c1e-9f3a-2b7c9d0e1f2a_failed_0',
  })
  id: string;
  @ApiProperty({
    enum: ['message.failed', 'message.succeeded', 'message.superseded', 'message.test'],
  })
  type: string;
  @ApiPropertyOptional() messageId?: string;
  @ApiProperty({ enum: DELIVERY_STATUSES }) status: string;
  @ApiProperty({ example: 1 }) attempts: number;
  @ApiProperty({ example: 8 }) maxAttempts: number;
  @ApiPropertyOptional({ description: 'The URL of the latest attempt' }) url?: string;
  @ApiPropertyOptional({ type: DeliveryAnswer }) lastResponse?: DeliveryAnswer;
  @ApiPropertyOptional({ description: 'When a pending delivery is tried again' })
  nextAttemptAt?: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The body sent: {type, timestamp, data}',
  })
  payload: Record<string, unknown>;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

export class DeliveriesResponse {
  @ApiProperty({ type: [DeliveryView], description: `Newest first, at most \`limit\`` })
  items: DeliveryView[];
}
