import { Injectable } from '@nestjs/common';
import { dict } from '../../../common/dict';
import { AvvyrSandboxState, SandboxOrder } from './avvyr-sandbox.state';

export interface BackendAnswer {
  status: number;
  body: unknown;
}

type Item = Record<string, unknown> & { sku: string; warehouseId?: string };
const DEFAULT_WAREHOUSE = 'default';

/** What the Avvyr backend does with each call, applied to the sandbox state. */
@Injectable()
export class AvvyrSandboxBackend {
  constructor(private readonly state: AvvyrSandboxState) {}

  setLevels(body: { items?: Item[] }): BackendAnswer {
    const items = body.items ?? [];
    for (const item of items) {
      const warehouse = item.warehouseId ?? DEFAULT_WAREHOUSE;
      (this.state.inventory[item.sku] ??= dict())[warehouse] = Number(item.quantity);
    }
    return { status: 200, body: { updated: items.length } };
  }

  /**
   * An adjustment names its warehouse, or the SKU's only one: with no warehouse on a SKU stocked
   * in several, nothing is applied and the answer (422, permanent) names them.
   */
  adjust(body: { items?: Item[] }): BackendAnswer {
    const items = body.items ?? [];
    const resolved = items.map((item) => {
      if (item.warehouseId !== undefined) return item.warehouseId;
      const stocked = Object.keys(this.state.inventory[item.sku] ?? {});
      return stocked.length <= 1 ? (stocked[0] ?? DEFAULT_WAREHOUSE) : stocked;
    });
    const ambiguous = items.flatMap((item, index) => {
      const warehouses = resolved[index];
      return Array.isArray(warehouses) ? [{ sku: item.sku, warehouses }] : [];
    });
    if (ambiguous.length) {
      return {
        status: 422,
        body: {
          detail: `warehouseId is required: ${ambiguous
            .map(({ sku, warehouses }) => `${sku} is stocked in ${warehouses.join(', ')}`)
            .join('; ')}`,
          ambiguous,
        },
      };
    }
    const levels = items.map((item, index) => {
      const warehouse = resolved[index] as string;
      const skuLevels = (this.state.inventory[item.sku] ??= dict());
      skuLevels[warehouse] = (skuLevels[warehouse] ?? 0) + Number(item.adjustment);
      return { sku: item.sku, warehouseId: warehouse, quantity: skuLevels[warehouse] };
    });
    return { status: 200, body: { levels } };
  }

  createOrder(body: Record<string, unknown>, accountId?: string): BackendAnswer {
    const externalId = String(body.externalId);
    const existing = this.state.orderByExternalId(accountId, externalId);
    if (existing) {
      return {
        status: 409,
        body: { detail: `Order ${externalId} already exists`, orderId: existing.id },
      };
    }
    const now = new Date().toISOString();
    const order: SandboxOrder = {
      id: this.state.newOrderId(),
      externalId,
      status: 'pending',
      customer: body.customer,
      lineItems: (body.lineItems as unknown[]) ?? [],
      accountId,
      createdAt: now,
      updatedAt: now,
    };
    this.state.addOrder(order);
    return { status: 201, body: { id: order.id, externalId, status: order.status } };
  }

  updateOrder(id: string, body: Record<string, unknown>): BackendAnswer {
    const order = this.state.orders[id];
    if (!order) return { status: 404, body: { detail: `Order ${id} not found` } };
    if (typeof body.status === 'string') order.status = body.status;
    if (typeof body.trackingNumber === 'string') order.trackingNumber = body.trackingNumber;
    order.updatedAt = new Date().toISOString();
    return {
      status: 200,
      body: { id, status: order.status, trackingNumber: order.trackingNumber },
    };
  }

  upsertProducts(body: { products?: Item[] }): BackendAnswer {
    const products = body.products ?? [];
    for (const product of products) {
      this.state.products[product.sku] = { ...this.state.products[product.sku], ...product };
    }
    return { status: 200, body: { upserted: products.length } };
  }

  setPrices(body: { items?: Item[] }): BackendAnswer {
    const items = body.items ?? [];
    for (const item of items)
      this.state.prices[item.sku] = { ...this.state.prices[item.sku], ...item };
    return { status: 200, body: { updated: items.length } };
  }

  upsertCustomer(body: Record<string, unknown>): BackendAnswer {
    const email = String(body.email).toLowerCase();
    const existing = this.state.customers[email];
    const id =
      (existing?.id as string | undefined) ?? `cus_${Object.keys(this.state.customers).length + 1}`;
    this.state.customers[email] = { ...existing, ...body, id };
    return { status: 200, body: { id, created: !existing } };
  }
}
