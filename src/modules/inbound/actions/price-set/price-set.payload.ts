import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, ValidateIf, IsDefined } from 'class-validator';
import { ItemList, Money, RequiredText } from '../payload-rules';

export class PriceItemDto {
  @ApiProperty({ example: 'CHAIR-UNO-BLK' })
  @RequiredText()
  sku: string;

  @ApiPropertyOptional({ example: 4990, minimum: 0 })
  @ValidateIf((item: PriceItemDto) => item.costPrice === undefined)
  @IsDefined({ message: 'sellingPrice or costPrice is required' })
  @Money()
  sellingPrice?: number;

  @ApiPropertyOptional({ example: 2200, minimum: 0 })
  @IsOptional()
  @Money()
  costPrice?: number;
}

export class PriceSetPayload {
  @ApiProperty({ type: [PriceItemDto] })
  @ItemList(() => PriceItemDto)
  items: PriceItemDto[];
}
