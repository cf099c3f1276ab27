import { ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { Nullable } from '../../../common/validation';
import { PRICE_FIELDS, PriceField } from './avasam-settings';

const NO_SPACES = /^\S+$/;
const ACK_PATH = /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/;

/**
 * `settings` of an Avasam integration as a seller sends them. Every field is optional here:
 * on create the three secrets are then required by the policy; on PATCH, what is not sent is
 * kept, and `null` clears an optional setting.
 */
@ApiSchema({
  name: 'AvasamSettings',
  description:
    'Settings of an Avasam integration. On create, consumerKey, secretKey and verificationToken are required; ' +
    'on PATCH what is not sent is kept and null clears an optional setting (warehouseId, priceField, priceAcknowledgementPath).',
})
export class AvasamSettingsInput {
  @ApiPropertyOptional({
    description: 'Avasam API consumer key',
    pattern: NO_SPACES.source,
    maxLength: 200,
  })
  @IsOptional()
  @IsString()
  @Matches(NO_SPACES, { message: 'consumerKey must not contain spaces' })
  @MaxLength(200)
  consumerKey?: string;

  @ApiPropertyOptional({
    description: 'Avasam API secret key',
    pattern: NO_SPACES.source,
    maxLength: 500,
  })
  @IsOptional()
  @IsString()
  @Matches(NO_SPACES, { message: 'secretKey must not contain spaces' })
  @MaxLength(500)
  secretKey?: string;

  /** The HS256 key of the webhook JWTs: short keys are guessable, hence the minimum. */
  @ApiPropertyOptional({
    description: 'HS256 key of the webhook JWTs (what you enter in Avasam)',
    minLength: 16,
    maxLength: 512,
  })
  @IsOptional()
  @IsString()
  @MinLength(16)
  @MaxLength(512)
  verificationToken?: string;

  @ApiPropertyOptional({
    type: 'string',
    description: 'Avvyr warehouse of the stock; null: AVASAM_DEFAULT_WAREHOUSE_ID',
    minLength: 1,
    maxLength: 200,
    nullable: true,
    example: 'wh-01',
  })
  @Nullable()
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  warehouseId?: string | null;

  @ApiPropertyOptional({
    type: 'string',
    description: 'Where Avasam prices go; null: costPrice',
    enum: PRICE_FIELDS,
    nullable: true,
  })
  @Nullable()
  @IsOptional()
  @IsIn(PRICE_FIELDS)
  priceField?: PriceField | null;

  /** Relative to AVASAM_API_URL, e.g. `api-seller/Product/AcknowledgePriceUpdate`. */
  @ApiPropertyOptional({
    type: 'string',
    description: 'Relative to AVASAM_API_URL; null: price updates are not acknowledged',
    pattern: ACK_PATH.source,
    maxLength: 200,
    nullable: true,
    example: 'api-seller/Product/AcknowledgePriceUpdate',
  })
  @Nullable()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @Matches(ACK_PATH, {
    message: 'priceAcknowledgementPath must be a relative path such as api-seller/Product/Xyz',
  })
  priceAcknowledgementPath?: string | null;
}
