import { ValidationError } from 'class-validator';
import { FieldError } from './domain-error';

/** Flattens class-validator's tree into `data.items[1].quantity`-style paths. */
export function flattenValidationErrors(errors: ValidationError[], prefix = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const error of errors) {
    const key = /^\d+$/.test(error.property) ? `[${error.property}]` : error.property;
    const path = prefix ? (key.startsWith('[') ? `${prefix}${key}` : `${prefix}.${key}`) : key;
    for (const message of Object.values(error.constraints ?? {})) {
      out.push({ path, message });
    }
    if (error.children?.length) out.push(...flattenValidationErrors(error.children, path));
  }
  return out;
}
