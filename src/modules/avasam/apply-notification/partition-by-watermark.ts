import type { NotificationItem } from '../notifications/parse-notification';

export interface SupersededItem {
  sku: string;
  updatedOn: string;
  /** The newer change that wins: already applied, or later in the same notification. */
  newerUpdatedOn: string;
  /** The message that applied it, when it was an earlier one. */
  newerMessageId?: string;
}

export interface Partition {
  fresh: NotificationItem[];
  superseded: SupersededItem[];
}

/**
 * Splits items into those to apply and those a newer change supersedes. Strictly older than the
 * SKU's watermark is stale; equal is applied again, because a retry of the message that set the
 * watermark must still apply its items (at least once). Within one notification the latest
 * change of a SKU wins (the last one on a tie).
 */
export function partitionByWatermark(
  items: NotificationItem[],
  watermarks: ReadonlyMap<string, Date>,
): Partition {
  const latest = new Map<string, NotificationItem>();
  const superseded: SupersededItem[] = [];
  const supersede = (item: NotificationItem, newer: Date) =>
    superseded.push({
      sku: item.sku,
      updatedOn: item.updatedOn.toISOString(),
      newerUpdatedOn: newer.toISOString(),
    });

  for (const item of items) {
    const applied = watermarks.get(item.sku);
    if (applied && item.updatedOn.getTime() < applied.getTime()) {
      supersede(item, applied);
      continue;
    }
    const seen = latest.get(item.sku);
    if (seen && seen.updatedOn.getTime() > item.updatedOn.getTime()) {
      supersede(item, seen.updatedOn);
      continue;
    }
    if (seen) supersede(seen, item.updatedOn);
    latest.set(item.sku, item);
  }
  return { fresh: [...latest.values()], superseded };
}
