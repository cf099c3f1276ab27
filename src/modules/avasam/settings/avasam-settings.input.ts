import { IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { Nullable } from '../../../common/validation';
import { PRICE_FIELDS, PriceField } from './avasam-settings';

const NO_SPACES = /^\S+$/;

/**
 * `settings` of an Avasam integration as a seller sends them. Every field is optional here:
 * on create the three secrets are then required by the policy; on PATCH, what is not sent is
 * kept, and `null` clears an optional setting.
 */
export class AvasamSettingsInput {
  @IsOptional()
  @IsString()
  @Matches(NO_SPACES, { message: 'consumerKey must not contain spaces' })
  @MaxLength(200)
  consumerKey?: string;

  @IsOptional()
  @IsString()
  @Matches(NO_SPACES, { message: 'secretKey must not contain spaces' })
  @MaxLength(500)
  secretKey?: string;

  /** The HS256 key of the webhook JWTs: short keys are guessable, hence the minimum. */
  @IsOptional()
  @IsString()
  @MinLength(16)
  @MaxLength(512)
  verificationToken?: string;

  @Nullable()
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  warehouseId?: string | null;

  @Nullable()
  @IsOptional()
  @IsIn(PRICE_FIELDS)
  priceField?: PriceField | null;

  /** Relative to AVASAM_API_URL, e.g. `api-seller/Product/AcknowledgePriceUpdate`. */
  @Nullable()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @Matches(/^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/, {
    message: 'priceAcknowledgementPath must be a relative path such as api-seller/Product/Xyz',
  })
  priceAcknowledgementPath?: string | null;
}
