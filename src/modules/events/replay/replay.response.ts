import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { REPLAY_STATUSES, ReplayStatus } from './event-replay.schema';

export class ReplayAcceptedResponse {
  @ApiProperty({ format: 'uuid' }) replayId: string;
  @ApiProperty({ description: 'Events the filter (or the ids) matched when the replay started' })
  matched: number;
}

export class ReplayCountResponse {
  @ApiProperty({ description: 'Events a replay of this body would retry now' })
  matched: number;
}

export class ReplayResponse {
  @ApiProperty({ format: 'uuid' }) replayId: string;
  @ApiProperty({
    enum: REPLAY_STATUSES,
    description:
      '`running` while events are being queued; `done` once every matched event was queued or skipped (the queued ones may still be in flight: see done / failed); `cancelled` by DELETE; `stopped` when the replay job gave up (see error)',
  })
  status: ReplayStatus;
  @ApiProperty({ description: 'Events matched when the replay started' }) matched: number;
  @ApiProperty({
    description: 'Events queued again by this replay (a manual-retry step naming it)',
  })
  queued: number;
  @ApiProperty({
    description:
      'Matched events not queued: no longer failed when the replay reached them, or deleted',
  })
  skipped: number;
  @ApiProperty({
    description: 'Queued events whose new run succeeded (superseded ones included)',
  })
  done: number;
  @ApiProperty({ description: 'Queued events whose new run failed again' })
  failed: number;
  @ApiProperty({ format: 'date-time' }) startedAt: string;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When it was done, cancelled or stopped; null while running',
  })
  finishedAt: string | null;
  @ApiProperty() requestedBy: string;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'The filter it replays (when it was started with one)',
  })
  filter?: Record<string, unknown>;
  @ApiPropertyOptional({ description: 'How many ids it was given (when started with messageIds)' })
  messageIdCount?: number;
  @ApiPropertyOptional({ description: 'Why a stopped replay stopped' })
  error?: string;
}
