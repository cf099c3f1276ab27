import { ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  MaxLength,
} from 'class-validator';
import { MessageStatus } from '../timeline/message-step';
import { EventsFilterDto } from '../query/events-filter.dto';
import { MAX_REPLAY_MESSAGE_IDS } from './replay-queue';

/**
 * `POST /v1/integrations/events/retry`: the events list's filter (same fields, same validation,
 * so a replay matches what the list shows) without its paging, or `messageIds`; `dryRun` counts.
 */
export class ReplayRequestDto extends OmitType(EventsFilterDto, [
  'status',
  'limit',
  'cursor',
] as const) {
  @ApiPropertyOptional({
    enum: [MessageStatus.Failed],
    default: MessageStatus.Failed,
    description: 'Only failed events are replayed: `failed` is the only value, and the default',
  })
  @IsOptional()
  @IsIn([MessageStatus.Failed])
  status?: typeof MessageStatus.Failed;

  @ApiPropertyOptional({
    type: [String],
    minItems: 1,
    maxItems: MAX_REPLAY_MESSAGE_IDS,
    uniqueItems: true,
    description:
      'Replay these events instead of a filter (not combined with filter fields); ids of events the account does not have are not matched',
    example: ['6f1c2e9a-1b2c-4d4e-8f6a-7b0000000001'],
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_REPLAY_MESSAGE_IDS)
  @ArrayUnique()
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  messageIds?: string[];

  @ApiPropertyOptional({
    default: false,
    description: 'Only count the matching events (answer 200 {matched}); nothing is queued',
  })
  @IsOptional()
  @IsBoolean()
  dryRun?: boolean;
}

/** The filter fields of the body (everything but `messageIds` and `dryRun`). */
export const REPLAY_FILTER_FIELDS = [
  'integrationId',
  'status',
  'action',
  'entityId',
  'errorCode',
  'sku',
  'externalId',
  'source',
  'from',
  'to',
] as const satisfies readonly (keyof ReplayRequestDto)[];
