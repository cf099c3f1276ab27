import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsEmail, IsInt, IsOptional, Min, ValidateNested } from 'class-validator';
import { ItemList, Money, RequiredText } from '../payload-rules';

export class OrderCustomer {
  @ApiProperty({ example: 'customer@example.com', format: 'email' })
  @IsEmail()
  email: string;

  @ApiPropertyOptional({ example: 'Anna' })
  @IsOptional()
  @RequiredText()
  firstName?: string;

  @ApiPropertyOptional({ example: 'Svensson' })
  @IsOptional()
  @RequiredText()
  lastName?: string;
}

export class OrderLineItem {
  @ApiProperty({ example: 'CHAIR-UNO-BLK' })
  @RequiredText()
  sku: string;

  @ApiProperty({ type: 'integer', example: 1, minimum: 1 })
  @IsInt()
  @Min(1)
  quantity: number;

  @ApiProperty({ example: 4990, minimum: 0 })
  @Money()
  unitPrice: number;
}

export class OrderCreatePayload {
  @ApiProperty({ example: 'ERP-ORDER-789' })
  @RequiredText()
  externalId: string;

  @ApiProperty({ type: OrderCustomer })
  @IsDefined()
  @ValidateNested()
  @Type(() => OrderCustomer)
  customer: OrderCustomer;

  @ApiProperty({ type: [OrderLineItem] })
  @ItemList(() => OrderLineItem)
  lineItems: OrderLineItem[];
}
