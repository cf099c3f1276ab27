import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { COUNTED_STATUSES } from '../counters/stats-keys';
import { STATS_WINDOW_NAMES, StatsWindow } from './stats-window';

export class StatsQueryDto {
  @ApiPropertyOptional({ enum: STATS_WINDOW_NAMES, default: '1h' })
  @IsOptional()
  @IsIn(STATS_WINDOW_NAMES)
  window?: StatsWindow;

  @ApiPropertyOptional({ description: 'Only this integration' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  integrationId?: string;
}

const COUNTS_EXAMPLE = { received: 120, succeeded: 110, failed: 4, retrying: 9, retried: 1 };
const countsSchema = (description: string) => ({
  description,
  type: 'object' as const,
  properties: Object.fromEntries(COUNTED_STATUSES.map((s) => [s, { type: 'integer' as const }])),
  example: COUNTS_EXAMPLE,
});

export class StatsSeriesGroup {
  @ApiProperty({ enum: ['inbound', 'avasam'] }) source: string;
  @ApiProperty({ example: 'inventory.set' }) action: string;
  @ApiProperty({ type: [Number], description: 'Received per point of `time`' }) received: number[];
  @ApiProperty({ type: [Number] }) succeeded: number[];
  @ApiProperty({ type: [Number] }) failed: number[];
}

export class StatsSeries {
  @ApiProperty({ type: [Number], description: 'Start of each point, epoch milliseconds' })
  time: number[];
  @ApiProperty({ description: 'Length of each point in seconds (60, 900 or 3600)' })
  stepSeconds: number;
  @ApiProperty({ type: [StatsSeriesGroup], description: 'One per source and action seen' })
  groups: StatsSeriesGroup[];
}

export class StatsErrorCode {
  @ApiProperty({ example: 'AVVYR_HTTP_422' }) code: string;
  @ApiProperty({ example: 3 }) count: number;
  @ApiProperty({ type: [String], example: ['inventory.set'] }) actions: string[];
}

export class StatsQueue {
  @ApiProperty({ example: 'inbound' }) queue: string;
  @ApiProperty({ enum: ['inbound', 'avasam'] }) source: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    example: { waiting: 3, prioritized: 0, delayed: 1, active: 2, failed: 4, completed: 120 },
  })
  counts: Record<string, number>;
  @ApiProperty({ type: 'integer', description: 'waiting + prioritized + delayed' }) depth: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  oldestWaitingAt: string | null;
}

export class StatsResponse {
  @ApiProperty({ enum: STATS_WINDOW_NAMES }) window: StatsWindow;
  @ApiProperty({ format: 'date-time' }) from: string;
  @ApiProperty({ format: 'date-time' }) to: string;
  @ApiProperty(countsSchema('Messages that reached each status in the window'))
  totals: Record<string, number>;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'failed / (succeeded + failed) in the window; null with no outcome',
  })
  failureRate: number | null;
  @ApiProperty({ type: StatsSeries }) series: StatsSeries;
  @ApiProperty({ type: [StatsErrorCode], description: 'Top 10 error codes of failed messages' })
  topErrors: StatsErrorCode[];
  @ApiProperty({
    type: [StatsQueue],
    description:
      "The service's queues (every account's jobs: a queue is shared), read from BullMQ; empty when Redis cannot be read",
  })
  queues: StatsQueue[];
}
