import { payloadExternalId, payloadSkus } from './event-keys';

describe('event keys', () => {
  it('collects the distinct SKUs of inbound items, products, order lines and Avasam items', () => {
    expect(payloadSkus({ items: [{ sku: 'A', quantity: 1 }, { sku: 'B' }, { sku: 'A' }] })).toEqual(
      ['A', 'B'],
    );
    expect(payloadSkus({ products: [{ sku: 'P', name: 'x' }] })).toEqual(['P']);
    expect(payloadSkus({ externalId: 'E', lineItems: [{ sku: 'L', quantity: 1 }] })).toEqual(['L']);
    expect(payloadSkus({ requestId: 'r', data: [{ sku: 'AV', quantity: 2 }] })).toEqual(['AV']);
  });

  it('ignores payloads that name no SKU', () => {
    expect(payloadSkus({ email: 'a@b.c' })).toEqual([]);
    expect(payloadSkus({ status: 'shipped' })).toEqual([]);
    expect(payloadSkus(undefined)).toEqual([]);
    expect(payloadSkus({ items: [null, { sku: 3 }, { sku: '' }] })).toEqual([]);
  });

  it("takes an order's externalId from order.create only", () => {
    expect(payloadExternalId('order.create', { externalId: 'ERP-1', lineItems: [] })).toBe('ERP-1');
    expect(payloadExternalId('order.update', { externalId: 'ERP-1' })).toBeUndefined();
    expect(payloadExternalId('order.create', {})).toBeUndefined();
  });
});
