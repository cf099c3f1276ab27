import { ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsArray,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  Max,
  MaxLength,
  Min,
} from 'class-validator';

const url = { require_tld: false, require_protocol: true };

/** Avasam's webhook section: verification token, the two endpoints; plus the token lifetime. */
export class SellerSettingsDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  verificationToken?: string;

  @ApiPropertyOptional({ example: 'http://localhost:3000/webhooks/avasam/<id>/stock-update' })
  @IsOptional()
  @IsUrl(url)
  stockUpdateUrl?: string;

  @ApiPropertyOptional({ example: 'http://localhost:3000/webhooks/avasam/<id>/price-update' })
  @IsOptional()
  @IsUrl(url)
  priceUpdateUrl?: string;

  @ApiPropertyOptional({ description: 'Lifetime of issued access tokens', default: 3600 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(7 * 24 * 3600)
  tokenTtlSeconds?: number;
}

/** A new seller: keys generated unless given (Avasam's "generate key" button). */
export class NewSellerDto extends SellerSettingsDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  consumerKey?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  secretKey?: string;
}

/** Avasam's "test" button, sending a signed notification to the configured endpoint. */
export class TestButtonDto {
  @ApiPropertyOptional({ enum: ['stock', 'price'], default: 'stock' })
  @IsOptional()
  @IsIn(['stock', 'price'])
  kind?: 'stock' | 'price';

  @ApiPropertyOptional({ description: 'Default: a fresh UUID' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  requestId?: string;

  @ApiPropertyOptional({
    description: 'Items to send as they are; default one sample item, [] for an empty test',
  })
  @IsOptional()
  @IsArray()
  @IsObject({ each: true })
  data?: Record<string, unknown>[];
}
