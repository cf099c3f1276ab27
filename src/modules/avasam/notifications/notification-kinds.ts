/** The two notifications Avasam sends a seller: stock changes and price changes. */
export const NOTIFICATION_KINDS = {
  stock: { action: 'avasam.stock-update', path: 'stock-update' },
  price: { action: 'avasam.price-update', path: 'price-update' },
} as const;

export type NotificationKind = keyof typeof NOTIFICATION_KINDS;
export const KINDS = Object.keys(NOTIFICATION_KINDS) as NotificationKind[];

/** The kind a queued job's action names, if it is one of ours. */
export function kindOfAction(action: string): NotificationKind | undefined {
  return KINDS.find((kind) => NOTIFICATION_KINDS[kind].action === action);
}
