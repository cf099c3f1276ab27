/**
 * Avasam's `DateTime` values ("2021-12-22T17:36:19.8066912+00:00", .NET style). Avasam says its
 * times are UTC, so a value without an offset is read as UTC, never as this server's local time.
 * Digits past milliseconds are dropped: two updates within one millisecond compare equal.
 */
const DATE_TIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?)(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$/i;

export function parseAvasamDate(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const match = DATE_TIME.exec(value.trim());
  if (!match) return undefined;
  const [, dateTime, fraction = '', offset = 'Z'] = match;
  const millis = fraction ? `.${fraction.slice(0, 3).padEnd(3, '0')}` : '';
  const zone = /^[+-]\d{4}$/.test(offset) ? `${offset.slice(0, 3)}:${offset.slice(3)}` : offset;
  const date = new Date(`${dateTime}${millis}${zone.toUpperCase()}`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
