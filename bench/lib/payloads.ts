import { SEED_EXAMPLES } from '../../test/fixtures/seed-examples';

export type InboundBody = { action: string; entityId?: string; data: unknown };

/** The seven examples of the product document, word for word: the ingest mix. */
export function seedMix(): InboundBody[] {
  return Object.values(SEED_EXAMPLES).map((example) => structuredClone(example) as InboundBody);
}

/**
 * Which entity keys (README "Ordering") the processing messages touch: `unique` gives every
 * message SKUs and an e-mail of its own (unrelated keys, run fully in parallel); `hot: k` puts
 * every SKU of every message on k hot SKUs (the contention case: ordered per key).
 */
export type KeySpread = 'unique' | { hot: number };

/**
 * `count` messages cycling through the seven actions, each of which succeeds against the
 * sandbox: order.create gets a unique externalId (a repeated one is a permanent 409) and
 * order.update targets an order created beforehand (an unknown id is a permanent 404).
 */
export function processingMix(
  count: number,
  orderIds: string[],
  keys: KeySpread = 'unique',
): InboundBody[] {
  const seeds = seedMix();
  return Array.from({ length: count }, (_, i) => {
    const body = structuredClone(seeds[i % seeds.length]);
    spreadKeys(body.data as Record<string, unknown>, i, keys);
    if (body.action === 'order.create') {
      (body.data as { externalId: string }).externalId = `ERP-ORDER-789-${i}`;
    }
    if (body.action === 'order.update') body.entityId = orderIds[i % orderIds.length];
    return body;
  });
}

function spreadKeys(data: Record<string, unknown>, i: number, keys: KeySpread): void {
  const list = (data.items ?? data.products ?? data.lineItems) as { sku: string }[] | undefined;
  list?.forEach((item, index) => {
    item.sku = keys === 'unique' ? `${item.sku}-${i}` : `HOT-${(i + index) % keys.hot}`;
    // A hot SKU is stocked in wh-01 by the sets: an adjustment must name it, since one that
    // came first without a warehouse stocks `default` too, and the backend then refuses (422).
    const adjustment = item as { adjustment?: number; warehouseId?: string };
    if (keys !== 'unique' && adjustment.adjustment !== undefined)
      adjustment.warehouseId ??= 'wh-01';
  });
  if (typeof data.email === 'string' && keys === 'unique') {
    data.email = data.email.replace('@', `+${i}@`);
  }
}
