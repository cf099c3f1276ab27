import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Min } from 'class-validator';
import { ItemList, RequiredText } from '../payload-rules';

export class InventoryLevelItem {
  @ApiProperty({ example: 'CHAIR-UNO-BLK' })
  @RequiredText()
  sku: string;

  @ApiProperty({ type: 'integer', example: 42, minimum: 0 })
  @IsInt()
  @Min(0)
  quantity: number;

  @ApiPropertyOptional({ example: 'wh-01' })
  @IsOptional()
  @RequiredText()
  warehouseId?: string;
}

export class InventorySetPayload {
  @ApiProperty({ type: [InventoryLevelItem] })
  @ItemList(() => InventoryLevelItem)
  items: InventoryLevelItem[];
}
