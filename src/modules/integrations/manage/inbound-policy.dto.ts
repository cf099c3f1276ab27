import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiPropertyOptions } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { INBOUND_ACTION_NAMES } from '../../../common/inbound-actions';
import { MAX_RATE_LIMIT_WINDOW_SECONDS } from '../../../common/rate-limit';
import { Nullable } from '../../../common/validation';

export const MAX_GRACE_SECONDS = 86_400;

/** `burst` messages per fixed window of `burst / perSecond` seconds, counted across replicas. */
export class RateLimitDto {
  @ApiProperty({ minimum: 1, maximum: 100_000, example: 200 })
  @IsInt()
  @Min(1)
  @Max(100_000)
  perSecond: number;

  @ApiProperty({
    minimum: 1,
    maximum: 100_000 * MAX_RATE_LIMIT_WINDOW_SECONDS,
    example: 400,
    description: `A whole multiple of perSecond, at most ${MAX_RATE_LIMIT_WINDOW_SECONDS} times it: the most messages one window of burst / perSecond seconds takes`,
  })
  @IsInt()
  @Min(1)
  @Max(100_000 * MAX_RATE_LIMIT_WINDOW_SECONDS)
  burst: number;
}

const ALLOWED_ACTIONS_TEXT =
  'Inbound actions this integration’s key may send (custom integrations); default: all seven. ' +
  'Another action is answered 403 ACTION_NOT_ALLOWED and not queued.';
const allowedActionsDoc = (extra = ''): ApiPropertyOptions => ({
  type: String,
  isArray: true,
  enum: [...INBOUND_ACTION_NAMES],
  minItems: 1,
  uniqueItems: true,
  example: ['inventory.set', 'price.set'],
  description: ALLOWED_ACTIONS_TEXT + extra,
  ...(extra && { nullable: true }),
});
const RATE_LIMIT_TEXT =
  'Inbound rate limit of this integration’s key, in messages (a batch counts its messages), ' +
  'shared by every API replica; default RATE_LIMIT_PER_SECOND / RATE_LIMIT_BURST.';
const rateLimitDoc = (extra = ''): ApiPropertyOptions => ({
  type: RateLimitDto,
  description: RATE_LIMIT_TEXT + extra,
  ...(extra && { nullable: true }),
});
const allowedActionsValidators = [
  IsOptional(),
  IsArray(),
  ArrayMinSize(1),
  ArrayUnique(),
  IsIn([...INBOUND_ACTION_NAMES], { each: true }),
];
const rateLimitValidators = [IsOptional(), ValidateNested(), Type(() => RateLimitDto)];

/** `allowedActions` on create (omit it for all seven). */
export const AllowedActionsProperty = () =>
  applyDecorators(ApiPropertyOptional(allowedActionsDoc()), ...allowedActionsValidators);
/** `rateLimit` on create (omit it for the defaults). */
export const RateLimitProperty = () =>
  applyDecorators(ApiPropertyOptional(rateLimitDoc()), ...rateLimitValidators);

/** On PATCH, `null` goes back to the default (all actions / the env's limit). */
export const AllowedActionsPatchProperty = () =>
  applyDecorators(
    ApiPropertyOptional(allowedActionsDoc(' `null`: all actions again.')),
    Nullable(),
    ...allowedActionsValidators,
  );
export const RateLimitPatchProperty = () =>
  applyDecorators(
    ApiPropertyOptional(rateLimitDoc(' `null`: the defaults again.')),
    Nullable(),
    ...rateLimitValidators,
  );

/** What reads show: the limits in force (defaults filled in) and the key being rolled. */
export class PreviousApiKeyResponse {
  @ApiProperty({ example: 'avvyr_int_live_Zq9w…' }) prefix: string;
  @ApiProperty({ format: 'date-time', description: 'When the previous key stops working' })
  expiresAt: string;
}

export class InboundPolicyResponseFields {
  @ApiPropertyOptional({
    type: String,
    isArray: true,
    enum: [...INBOUND_ACTION_NAMES],
    description: 'Custom integrations: the actions its key may send (all seven unless set)',
  })
  allowedActions?: string[];

  @ApiPropertyOptional({
    type: RateLimitDto,
    description: 'Custom integrations: the limit in force (the defaults unless set)',
  })
  rateLimit?: RateLimitDto;

  @ApiProperty({
    type: PreviousApiKeyResponse,
    nullable: true,
    description: 'The key before the last regenerate-key, while its grace period lasts',
  })
  previousApiKey: PreviousApiKeyResponse | null;
}

/** `POST /v1/integrations/{id}/regenerate-key`, body optional. */
export class RegenerateKeyDto {
  @ApiPropertyOptional({
    minimum: 0,
    maximum: MAX_GRACE_SECONDS,
    default: 0,
    example: 3600,
    description:
      'How long the current key keeps working beside the new one (0: it stops at once). A key ' +
      'still in its grace from an earlier roll stops at once.',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_GRACE_SECONDS)
  graceSeconds?: number;
}
