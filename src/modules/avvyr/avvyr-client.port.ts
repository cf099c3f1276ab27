/** Identifies the message a backend call is made for: its Idempotency-Key and tenant. */
export interface AvvyrCallContext {
  messageId: string;
  accountId: string;
  correlationId: string;
}

export interface InventoryLevel {
  sku: string;
  quantity: number;
  warehouseId?: string;
}
export interface InventoryAdjustment {
  sku: string;
  adjustment: number;
  reason?: string;
  warehouseId?: string;
}
export interface PriceItem {
  sku: string;
  sellingPrice?: number;
  costPrice?: number;
}

/**
 * The Avvyr backend as this service uses it (contract in DESIGN.md). The only way any module
 * reaches the platform; failures are RemoteCallError, retryable or not.
 */
export abstract class AvvyrClient {
  abstract setInventoryLevels(items: InventoryLevel[], ctx: AvvyrCallContext): Promise<unknown>;
  abstract adjustInventory(items: InventoryAdjustment[], ctx: AvvyrCallContext): Promise<unknown>;
  abstract createOrder(order: object, ctx: AvvyrCallContext): Promise<unknown>;
  abstract updateOrder(orderId: string, changes: object, ctx: AvvyrCallContext): Promise<unknown>;
  abstract upsertProducts(products: object[], ctx: AvvyrCallContext): Promise<unknown>;
  abstract setPrices(items: PriceItem[], ctx: AvvyrCallContext): Promise<unknown>;
  abstract upsertCustomer(customer: object, ctx: AvvyrCallContext): Promise<unknown>;
}
