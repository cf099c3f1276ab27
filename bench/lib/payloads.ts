import { SEED_EXAMPLES } from '../../test/fixtures/seed-examples';

export type InboundBody = { action: string; entityId?: string; data: unknown };

/** The seven examples of the product document, word for word: the ingest mix. */
export function seedMix(): InboundBody[] {
  return Object.values(SEED_EXAMPLES).map((example) => structuredClone(example) as InboundBody);
}

/**
 * `count` messages cycling through the seven actions, each of which succeeds against the
 * sandbox: order.create gets a unique externalId (a repeated one is a permanent 409) and
 * order.update targets an order created beforehand (an unknown id is a permanent 404).
 */
export function processingMix(count: number, orderIds: string[]): InboundBody[] {
  const seeds = seedMix();
  return Array.from({ length: count }, (_, i) => {
    const body = structuredClone(seeds[i % seeds.length]);
    if (body.action === 'order.create') {
      (body.data as { externalId: string }).externalId = `ERP-ORDER-789-${i}`;
    }
    if (body.action === 'order.update') body.entityId = orderIds[i % orderIds.length];
    return body;
  });
}
