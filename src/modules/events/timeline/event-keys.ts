/**
 * What an event can be searched by besides its identity: the SKUs its payload touches and the
 * source's own id. Read from the payload the event is created with, never from the backend.
 */

/** Lists of a payload whose items name a SKU: inbound `items`, `products`, `lineItems`; Avasam `data`. */
const SKU_LISTS = ['items', 'products', 'lineItems', 'data'] as const;

/** The distinct SKUs named by the payload's items, in the order they first appear. */
export function payloadSkus(payload: unknown): string[] {
  if (!payload || typeof payload !== 'object') return [];
  const skus = new Set<string>();
  for (const list of SKU_LISTS) {
    const items = (payload as Record<string, unknown>)[list];
    if (!Array.isArray(items)) continue;
    for (const item of items) {
      const sku = (item as { sku?: unknown } | null)?.sku;
      if (typeof sku === 'string' && sku) skus.add(sku);
    }
  }
  return [...skus];
}

/** An order's own `externalId` (order.create), when the step carries no source id. */
export function payloadExternalId(action: string, payload: unknown): string | undefined {
  if (action !== 'order.create' || !payload || typeof payload !== 'object') return undefined;
  const externalId = (payload as { externalId?: unknown }).externalId;
  return typeof externalId === 'string' && externalId ? externalId : undefined;
}
