import { applyDecorators } from '@nestjs/common';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsNotEmpty,
  IsNumber,
  IsString,
  MaxLength,
  Min,
  ValidateBy,
  ValidateNested,
} from 'class-validator';
import { parseAvasamDate } from './avasam-date';

/** Most items one notification may carry (the body is capped at 1 MiB anyway). */
export const MAX_ITEMS_PER_NOTIFICATION = 5000;

export function Text(max = 200) {
  return applyDecorators(IsString(), IsNotEmpty(), MaxLength(max));
}

/** An Avasam DateTime: ISO 8601, offset optional (read as UTC). */
export function AvasamDateTime() {
  return ValidateBy({
    name: 'avasamDateTime',
    validator: {
      validate: (value: unknown) => parseAvasamDate(value) !== undefined,
      defaultMessage: (args) =>
        `${args?.property ?? 'value'} must be an ISO 8601 date-time such as 2024-05-01T10:00:00Z`,
    },
  });
}

/** A list of items, possibly empty (Avasam's test button sends none). */
export function ItemList(type: () => new () => object) {
  return applyDecorators(
    IsArray(),
    ArrayMaxSize(MAX_ITEMS_PER_NOTIFICATION),
    ValidateNested({ each: true }),
    Type(type),
  );
}

export function Price() {
  return applyDecorators(IsNumber({ allowNaN: false, allowInfinity: false }), Min(0));
}
