import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MESSAGE_STATUSES, MessageStatus } from '../timeline/message-step';

/** The OpenAPI view of what the events API answers (the read model, without internals). */
export class StepErrorResponse {
  @ApiProperty({ example: 'AVVYR_HTTP_503' }) code: string;
  @ApiProperty({ example: 'Avvyr backend PUT /v1/inventory/levels answered 503' }) message: string;
  @ApiPropertyOptional({ example: 503 }) httpStatus?: number;
  @ApiPropertyOptional({ description: "The backend's response body" }) response?: unknown;
  @ApiProperty() retryable: boolean;
}

export class TimelineEntryResponse {
  @ApiProperty({ example: 'processing' }) step: string;
  @ApiPropertyOptional({ enum: MESSAGE_STATUSES }) status?: MessageStatus;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ description: 'Manual retries start a new run' }) run: number;
  @ApiProperty() attempt: number;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true }) detail?: object;
  @ApiPropertyOptional({ type: StepErrorResponse }) error?: StepErrorResponse;
}

export class MessageOrderResponse {
  @ApiProperty({ description: 'Acceptance sequence: a later 202 always has a larger one' })
  seq: number;
  @ApiProperty({
    format: 'date-time',
    description:
      "Order time on its entity keys: the message's occurredAt, else when it was accepted",
  })
  at: string;
}

export class EventSummaryResponse {
  @ApiProperty({ format: 'uuid' }) messageId: string;
  @ApiProperty({ enum: ['inbound', 'avasam'] }) source: string;
  @ApiProperty() integrationId: string;
  @ApiProperty() accountId: string;
  @ApiProperty({ example: 'inventory.set' }) action: string;
  @ApiPropertyOptional() entityId?: string;
  @ApiPropertyOptional({
    description: "Source-specific id (Avasam's requestId, an order's externalId)",
  })
  externalId?: string;
  @ApiPropertyOptional({
    type: [String],
    description: 'The SKUs the payload names (searchable with `sku`)',
    example: ['CHAIR-UNO-BLK'],
  })
  skus?: string[];
  @ApiProperty() correlationId: string;
  @ApiProperty({ enum: MESSAGE_STATUSES }) status: MessageStatus;
  @ApiProperty() attempts: number;
  @ApiPropertyOptional({ type: StepErrorResponse }) lastError?: StepErrorResponse;
  @ApiPropertyOptional({ description: 'What the backend answered' }) result?: unknown;
  @ApiProperty({ format: 'date-time' }) receivedAt: string;
  @ApiPropertyOptional({ type: MessageOrderResponse, description: 'README "Ordering"' })
  order?: MessageOrderResponse;
  @ApiPropertyOptional({ format: 'uuid', description: 'The batch it was sent in, if any' })
  batchId?: string;
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'The bulk replay that started its latest run, if one did',
  })
  replayId?: string;
  @ApiPropertyOptional({ format: 'date-time' }) nextAttemptAt?: string;
  @ApiPropertyOptional({ format: 'date-time' }) completedAt?: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class EventDetailResponse extends EventSummaryResponse {
  @ApiProperty({ type: [TimelineEntryResponse] }) timeline: TimelineEntryResponse[];
  @ApiPropertyOptional({ description: 'The message payload (`data`)' }) payload?: unknown;
}

export class StatusCountsResponse {
  @ApiProperty({ format: 'date-time', description: 'Counted from (rounded down to the minute)' })
  from: string;
  @ApiProperty({ format: 'date-time' }) to: string;
  @ApiProperty({
    description:
      'Messages that reached each status in the window: received, succeeded, failed, retrying (an automatic retry scheduled), retried (a manual retry)',
    example: { received: 120, succeeded: 110, failed: 4, retrying: 9, retried: 1 },
    type: 'object',
    additionalProperties: { type: 'integer' },
  })
  byStatus: Record<string, number>;
}

export class EventsPageResponse {
  @ApiProperty({ type: [EventSummaryResponse] }) items: EventSummaryResponse[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page' })
  nextCursor: string | null;
  @ApiPropertyOptional({
    type: StatusCountsResponse,
    description:
      "Counts by status for the filter's integration, action, source and window (default: the last 24 h), from the pre-aggregated counters; not narrowed by entityId, sku or errorCode. Absent when the counters cannot be read.",
  })
  counts?: StatusCountsResponse;
}

export class RetryAcceptedResponse {
  @ApiProperty({ format: 'uuid' }) messageId: string;
  @ApiProperty({ enum: ['received'] }) status: 'received';
}
