import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsNotEmpty,
  IsNumber,
  IsString,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

/** Most items one message may carry; larger syncs are split into several messages. */
export const MAX_ITEMS_PER_MESSAGE = 5000;

/** A non-empty list of nested objects, each validated as `type`. */
export function ItemList(type: () => new () => object) {
  return applyDecorators(
    // The same limits in the OpenAPI schema (merged with the property's own @ApiProperty).
    ApiProperty({ minItems: 1, maxItems: MAX_ITEMS_PER_MESSAGE }),
    IsArray(),
    ArrayNotEmpty(),
    ArrayMaxSize(MAX_ITEMS_PER_MESSAGE),
    ValidateNested({ each: true }),
    Type(type),
  );
}

export function RequiredText(max = 200) {
  return applyDecorators(
    ApiProperty({ minLength: 1, maxLength: max }),
    IsString(),
    IsNotEmpty(),
    MaxLength(max),
  );
}

/** Amounts as the seed sends them (4990): finite, non-negative numbers. */
export function Money() {
  return applyDecorators(IsNumber({ allowNaN: false, allowInfinity: false }), Min(0));
}
