import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, MaxLength, IsString, NotEquals } from 'class-validator';
import { ItemList, RequiredText } from '../payload-rules';

export class InventoryAdjustmentItem {
  @ApiProperty({ example: 'CHAIR-UNO-BLK' })
  @RequiredText()
  sku: string;

  @ApiProperty({
    type: 'integer',
    example: -2,
    description: 'Signed change to current stock; not 0',
    not: { enum: [0] },
  })
  @IsInt()
  @NotEquals(0, { message: 'adjustment must not be 0' })
  adjustment: number;

  @ApiPropertyOptional({ example: 'Damaged stock', maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;

  @ApiPropertyOptional({ example: 'wh-01', description: "Defaults to the platform's default" })
  @IsOptional()
  @RequiredText()
  warehouseId?: string;
}

export class InventoryAdjustPayload {
  @ApiProperty({ type: [InventoryAdjustmentItem] })
  @ItemList(() => InventoryAdjustmentItem)
  items: InventoryAdjustmentItem[];
}
