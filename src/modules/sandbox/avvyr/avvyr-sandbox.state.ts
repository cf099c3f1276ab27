import { dict } from '../../../common/dict';
import { FaultPlan } from '../fault-plan';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';

export interface SandboxCall {
  at: string;
  method: string;
  path: string;
  action: string;
  idempotencyKey?: string;
  accountId?: string;
  status: number;
  replayed: boolean;
  body: unknown;
}

export interface SandboxOrder {
  id: string;
  externalId: string;
  status: string;
  trackingNumber?: string;
  customer: unknown;
  lineItems: unknown[];
  accountId?: string;
  createdAt: string;
  updatedAt: string;
}

export interface StoredResponse {
  status: number;
  body: unknown;
}

const MAX_CALLS_KEPT = 2000;

/** Everything the Avvyr sandbox remembers; in memory, per process, reset on demand. */
@Injectable()
export class AvvyrSandboxState {
  // Keyed by SKU, warehouse, order id, e-mail: null-prototype records (a SKU may be `__proto__`).
  inventory = dict<Record<string, number>>();
  products = dict<Record<string, unknown>>();
  prices = dict<Record<string, unknown>>();
  orders = dict<SandboxOrder>();
  /** Order ids by account and externalId: the duplicate check must not scan every order. */
  private orderIds = new Map<string, string>();
  customers = dict<Record<string, unknown>>();
  calls: SandboxCall[] = [];
  callCount = 0;
  readonly faults = new FaultPlan();
  /** Added before every answer, to show slow backends and graceful shutdown. */
  latencyMs = 0;
  readonly idempotency = new Map<string, StoredResponse>();

  reset(): void {
    this.inventory = dict();
    this.products = dict();
    this.prices = dict();
    this.orders = dict();
    this.orderIds.clear();
    this.customers = dict();
    this.calls = [];
    this.callCount = 0;
    this.faults.clear();
    this.latencyMs = 0;
    this.idempotency.clear();
  }

  logCall(call: SandboxCall): void {
    this.callCount++;
    this.calls.push(call);
    if (this.calls.length > MAX_CALLS_KEPT)
      this.calls.splice(0, this.calls.length - MAX_CALLS_KEPT);
  }

  addOrder(order: SandboxOrder): void {
    this.orders[order.id] = order;
    this.orderIds.set(`${order.accountId}\n${order.externalId}`, order.id);
  }

  orderByExternalId(accountId: string | undefined, externalId: string): SandboxOrder | undefined {
    const id = this.orderIds.get(`${accountId}\n${externalId}`);
    return id === undefined ? undefined : this.orders[id];
  }

  newOrderId(): string {
    return `ord_${randomUUID().replace(/-/g, '').slice(0, 20)}`;
  }

  snapshot() {
    return {
      inventory: this.inventory,
      products: this.products,
      prices: this.prices,
      orders: this.orders,
      customers: this.customers,
      faults: this.faults.list(),
      latencyMs: this.latencyMs,
      callCount: this.callCount,
      calls: this.calls,
    };
  }
}
