import type { FieldError } from '../errors';

/**
 * How deep a JSON body may nest (the root object is level 1). The deepest request the API takes
 * (`data.lineItems[0]` of an order) is 4 levels; anything far deeper is refused before any code
 * walks it recursively (class-transformer, JSON.stringify, BSON), where it would overflow the
 * stack and end as a 500.
 */
export const MAX_JSON_DEPTH = 32;

/** Stop looking after this many findings: the answer lists at most this many anyway. */
const MAX_FINDINGS = 100;

/**
 * What JSON allows but the API refuses in any body, found in one iterative walk (no recursion,
 * so a 20,000-deep array costs a loop, not the stack):
 * - nesting deeper than MAX_JSON_DEPTH;
 * - strings (values or keys) that are not well-formed UTF-16: a lone surrogate such as `"\ud800"`
 *   is stored as U+FFFD by the document store while the backend would get it raw;
 * - numbers beyond ±Number.MAX_SAFE_INTEGER (2^53 − 1), which JavaScript cannot hold exactly:
 *   `9007199254740993` would silently become `9007199254740992`.
 */
export function jsonBodyErrors(root: unknown): FieldError[] {
  const errors: FieldError[] = [];
  const stack: { value: unknown; path: string; depth: number }[] = [
    { value: root, path: '', depth: 1 },
  ];
  while (stack.length && errors.length < MAX_FINDINGS) {
    const { value, path, depth } = stack.pop()!;
    if (typeof value === 'string') {
      if (LONE.test(value)) errors.push({ path, message: LONE_SURROGATE });
      continue;
    }
    if (typeof value === 'number') {
      if (Math.abs(value) > Number.MAX_SAFE_INTEGER) errors.push({ path, message: UNSAFE_NUMBER });
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth > MAX_JSON_DEPTH) {
      errors.push({ path, message: `nested more than ${MAX_JSON_DEPTH} levels deep` });
      continue;
    }
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) {
        stack.push({ value: value[i], path: `${path}[${i}]`, depth: depth + 1 });
      }
      continue;
    }
    const keys = Object.keys(value);
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i];
      const keyPath = path ? `${path}.${key}` : key;
      if (LONE.test(key)) {
        errors.push({
          path: keyPath.replace(LONE_ALL, '\uFFFD'),
          message: `the key ${LONE_SURROGATE}`,
        });
        continue;
      }
      stack.push({
        value: (value as Record<string, unknown>)[key],
        path: keyPath,
        depth: depth + 1,
      });
    }
  }
  return errors;
}

/** With the `u` flag a paired surrogate is one code point: only lone ones match. */
const LONE = /\p{Surrogate}/u;
const LONE_ALL = /\p{Surrogate}/gu;
const LONE_SURROGATE = 'must be valid Unicode text (it holds a lone surrogate such as \\ud800)';
const UNSAFE_NUMBER = `must be between -${Number.MAX_SAFE_INTEGER} and ${Number.MAX_SAFE_INTEGER} (larger numbers lose precision)`;
