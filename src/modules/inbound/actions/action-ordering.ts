import { EntityUnit, inventoryField, inventoryKey, priceKey } from '../../ordering';
import type { InboundAction } from './action-registry';

type Data = Record<string, unknown>;

/**
 * How each action touches entities (README "Ordering"), and how to rebuild its payload with
 * only the values a newer message has not already superseded (`keeps(unit, field)`).
 * `undefined` from `rebuild`: nothing is left to send.
 */
export interface ActionOrdering {
  units(data: Data, entityId?: string): EntityUnit[];
  rebuild(data: Data, keeps: (unit: number, field: string) => boolean): Data | undefined;
}

const PRICE_FIELDS = ['sellingPrice', 'costPrice'];
const PRODUCT_FIELDS = ['name', 'sellingPrice', 'description'];
const CUSTOMER_FIELDS = ['firstName', 'lastName', 'phone'];
const ORDER_UPDATE_FIELDS = ['status', 'trackingNumber'];

const list = (data: Data, field: string) => (data[field] as Data[] | undefined) ?? [];
const present = (item: Data, fields: string[]) => fields.filter((f) => item[f] !== undefined);

/** An item keeps its identity fields and whichever value fields are still fresh. */
function pick(item: Data, identity: string[], fields: string[], keep: (f: string) => boolean) {
  const fresh = fields.filter((field) => item[field] !== undefined && keep(field));
  if (!fresh.length) return undefined;
  return Object.fromEntries(
    [...identity, ...fresh].filter((f) => item[f] !== undefined).map((f) => [f, item[f]]),
  );
}

/** Items keyed by SKU, each value field superseded on its own (prices, products). */
function skuFieldItems(
  listField: string,
  key: (sku: unknown) => string,
  fields: string[],
): ActionOrdering {
  return {
    units: (data) =>
      list(data, listField).map((item) => ({
        key: key(item.sku),
        relative: false,
        fields: present(item, fields),
      })),
    rebuild: (data, keeps) => {
      const items = list(data, listField)
        .map((item, index) => pick(item, ['sku'], fields, (field) => keeps(index, field)))
        .filter((item): item is Data => item !== undefined);
      return items.length ? { ...data, [listField]: items } : undefined;
    },
  };
}

/** One entity per message whose value fields are superseded on their own (customer, order). */
function singleEntity(
  key: (data: Data, entityId?: string) => string,
  identity: string[],
  fields: string[],
): ActionOrdering {
  return {
    units: (data, entityId) => [
      { key: key(data, entityId), relative: false, fields: present(data, fields) },
    ],
    rebuild: (data, keeps) => {
      // Nothing to supersede (only identity fields): applied as sent.
      if (!present(data, fields).length) return data;
      return pick(data, identity, fields, (field) => keeps(0, field));
    },
  };
}

/** Relative changes: ordered, never superseded, always sent whole. */
function relative(units: (data: Data) => string[]): ActionOrdering {
  return {
    units: (data) => units(data).map((key) => ({ key, relative: true, fields: [] })),
    rebuild: (data) => data,
  };
}

export const ACTION_ORDERING: Record<InboundAction, ActionOrdering> = {
  'inventory.set': {
    units: (data) =>
      list(data, 'items').map((item) => ({
        key: inventoryKey(item.sku),
        relative: false,
        fields: [inventoryField(item.warehouseId as string | undefined)],
      })),
    rebuild: (data, keeps) => {
      const items = list(data, 'items').filter((item, index) =>
        keeps(index, inventoryField(item.warehouseId as string | undefined)),
      );
      return items.length ? { ...data, items } : undefined;
    },
  },
  'inventory.adjust': relative((data) => list(data, 'items').map((item) => inventoryKey(item.sku))),
  'price.set': skuFieldItems('items', priceKey, PRICE_FIELDS),
  'product.upsert': skuFieldItems('products', (sku) => `product:${String(sku)}`, PRODUCT_FIELDS),
  'customer.upsert': singleEntity(
    (data) => `customer:${String(data.email).toLowerCase()}`,
    ['email'],
    CUSTOMER_FIELDS,
  ),
  'order.create': relative((data) => [`order-external:${String(data.externalId)}`]),
  'order.update': singleEntity(
    (_data, entityId) => `order:${String(entityId)}`,
    [],
    ORDER_UPDATE_FIELDS,
  ),
};
