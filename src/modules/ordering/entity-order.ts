import type { MessageSource } from '../../common/context';

/**
 * Where a message stands in its keys' order: its acceptance sequence (assigned atomically in
 * Redis, so a later 202 always has a later one) and its order time, `occurredAt` when the source
 * sent one, otherwise the time Redis accepted it. Ties in time fall back to the sequence.
 */
export interface MessageOrder {
  seq: number;
  /** ISO 8601. */
  at: string;
}

/**
 * One thing a message changes on one entity. A message with several items has several units.
 * `key` is the entity key without the account (the ordering service scopes it to the account,
 * so two integrations of one account feeding the same SKU are ordered together).
 */
export interface EntityUnit {
  key: string;
  /**
   * A relative change (an adjustment, an order creation): never superseded, applied exactly
   * once, and never passed by a later message on its key.
   */
  relative: boolean;
  /**
   * The values an absolute unit sets, each with its own watermark on the key, so an older
   * message still applies the fields a newer one did not touch. Empty: nothing to supersede.
   */
  fields: string[];
  /** The unit's own order time in ms (Avasam's per-item `updatedOn`); the message's otherwise. */
  atMs?: number;
}

/** A message as the ordering service knows it (its place is kept in Redis). */
export interface OrderedMessageRef {
  source: MessageSource;
  messageId: string;
  accountId: string;
}

export const SOURCE_LETTER: Record<MessageSource, string> = { inbound: 'i', avasam: 'a' };
const LETTER_SOURCE: Record<string, MessageSource> = { i: 'inbound', a: 'avasam' };

export function parseMember(member: string): { source: MessageSource; messageId: string } {
  const [, letter, ...rest] = member.split(':');
  return { source: LETTER_SOURCE[letter] ?? 'inbound', messageId: rest.join(':') };
}

export function orderTimeMs(order: MessageOrder): number {
  return Date.parse(order.at);
}

/** The keys a message waits on: each once, relative when any of its units there is. */
export function gatesOf(units: EntityUnit[]): { key: string; relative: boolean }[] {
  const gates = new Map<string, boolean>();
  for (const unit of units) gates.set(unit.key, (gates.get(unit.key) ?? false) || unit.relative);
  return [...gates].map(([key, relative]) => ({ key, relative }));
}

/**
 * Entity keys shared by both sources, so that an Avasam stock notification and an inbound
 * `inventory.set` for the same SKU of one account are ordered together. Inventory is ordered
 * per SKU, which covers every (SKU, warehouse) pair: an adjustment without a warehouse, which
 * the platform applies to the SKU's only warehouse, still waits for an earlier set there. A
 * level is superseded per (SKU, warehouse): its field is the warehouse.
 */
export const inventoryKey = (sku: unknown): string => `inventory:${String(sku)}`;
export const inventoryField = (warehouseId: string | undefined | null): string =>
  `@${warehouseId ?? ''}`;
/** Prices are superseded per SKU and price field (`sellingPrice`, `costPrice`). */
export const priceKey = (sku: unknown): string => `price:${String(sku)}`;
