/**
 * A record keyed by user data (SKU, warehouse, e-mail, order id…): an object without a
 * prototype, so `__proto__`, `constructor` or `toString` are keys like any other instead of
 * reaching (or writing to) `Object.prototype`. `JSON.stringify` shows it as a plain object.
 */
export function dict<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}
