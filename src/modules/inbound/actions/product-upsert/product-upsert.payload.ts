import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { ItemList, Money, RequiredText } from '../payload-rules';

export class ProductItem {
  @ApiProperty({ example: 'CHAIR-UNO-BLK' })
  @RequiredText()
  sku: string;

  @ApiProperty({ example: 'Lounge Chair Uno — Black' })
  @RequiredText(500)
  name: string;

  @ApiPropertyOptional({ example: 4990, minimum: 0 })
  @IsOptional()
  @Money()
  sellingPrice?: number;

  @ApiPropertyOptional({
    example: 'Minimalist lounge chair in black leather.',
    maxLength: 20_000,
  })
  @IsOptional()
  @IsString()
  @MaxLength(20_000)
  description?: string;
}

export class ProductUpsertPayload {
  @ApiProperty({ type: [ProductItem] })
  @ItemList(() => ProductItem)
  products: ProductItem[];
}
