/**
 * Where the per-account counters live. One Redis hash per account per minute and per hour; the
 * account id is the key's hash tag, so on a Redis Cluster an account's buckets share a slot.
 */
export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
/** Buckets outlive the longest window (7 d) by a day. */
export const BUCKET_TTL_SECONDS = 8 * 24 * 3600;

export type BucketSize = 'm' | 'h';
export const BUCKET_MS: Record<BucketSize, number> = { m: MINUTE_MS, h: HOUR_MS };

/** `<prefix>:stats:{<accountId>}:m:<epoch minute>` or `…:h:<epoch hour>`. */
export function bucketKey(prefix: string, accountId: string, size: BucketSize, index: number) {
  return `${prefix}:stats:{${accountId}}:${size}:${index}`;
}

export function bucketIndex(size: BucketSize, at: number): number {
  return Math.floor(at / BUCKET_MS[size]);
}

/** What a counted step did, by status: what a message reached, not every step it took. */
export const COUNTED_STATUSES = ['received', 'succeeded', 'failed', 'retrying', 'retried'] as const;
export type CountedStatus = (typeof COUNTED_STATUSES)[number];

/** The dimensions every count carries, so any of them can be filtered or grouped on read. */
export interface CountDimensions {
  source: string;
  action: string;
  integrationId: string;
}

/**
 * Hash fields: `s|<status>|<source>|<action>|<integrationId>` and `e|<code>|<source>|…`. Each
 * part is URI-encoded, so a `|` in an id cannot shift the others.
 */
export function statusField(status: CountedStatus, d: CountDimensions): string {
  return ['s', status, d.source, d.action, d.integrationId].map(encodeURIComponent).join('|');
}

export function errorField(code: string, d: CountDimensions): string {
  return ['e', code, d.source, d.action, d.integrationId].map(encodeURIComponent).join('|');
}

export type ParsedField =
  | ({ kind: 's'; status: CountedStatus } & CountDimensions)
  | ({ kind: 'e'; code: string } & CountDimensions);

export function parseField(field: string): ParsedField | undefined {
  const parts = field.split('|').map(decodeURIComponent);
  if (parts.length !== 5) return undefined;
  const [kind, name, source, action, integrationId] = parts;
  if (kind === 's' && (COUNTED_STATUSES as readonly string[]).includes(name)) {
    return { kind, status: name as CountedStatus, source, action, integrationId };
  }
  if (kind === 'e') return { kind, code: name, source, action, integrationId };
  return undefined;
}
