/**
 * The inbound actions' names, for modules that must name them without the inbound module's
 * registry (integrations validates `allowedActions`); the registry is checked against it.
 */
export const INBOUND_ACTION_NAMES = [
  'inventory.set',
  'inventory.adjust',
  'order.create',
  'order.update',
  'product.upsert',
  'price.set',
  'customer.upsert',
] as const;
export type InboundActionName = (typeof INBOUND_ACTION_NAMES)[number];
