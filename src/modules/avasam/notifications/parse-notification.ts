import { FieldError, ValidationFailedError } from '../../../common/errors';
import { validateDto } from '../../../common/validation';
import { parseAvasamDate } from './avasam-date';
import type { NotificationKind } from './notification-kinds';
import { PRICE_KEYS, PriceUpdateBody, PriceUpdateItem, StockUpdateBody } from './notification.body';

/** A validated notification as queued: the body without its token, unknown fields dropped. */
export interface NotificationPayload {
  requestId: string;
  on?: string;
  data: Record<string, unknown>[];
}

/** One item reduced to what applying it needs: the SKU, its new value and when it changed. */
export interface NotificationItem {
  sku: string;
  value: number;
  updatedOn: Date;
}

const BODIES: Record<NotificationKind, new () => StockUpdateBody | PriceUpdateBody> = {
  stock: StockUpdateBody,
  price: PriceUpdateBody,
};

/**
 * Validates a notification body against its kind's DTO and reports every failing path at once
 * (`data[1].quantity`). Fields Avasam may add later are dropped, not refused: refusing them would
 * make every notification fail the day Avasam extends its payload. A missing or null `data` is an
 * empty list (a test notification).
 */
export function parseNotification(kind: NotificationKind, body: unknown): NotificationPayload {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ValidationFailedError([
      { path: '', message: 'the body must be a JSON object {requestId, on, token, data}' },
    ]);
  }
  const input = { ...(body as Record<string, unknown>) };
  input.data ??= [];
  // Unknown fields dropped, nulls left to the validators; never walked by class-transformer,
  // which threw on an object with a `constructor` key where a string belongs (a 500).
  const { errors, instance } = validateDto(BODIES[kind], input, '', {
    unknownKeys: 'drop',
    nulls: 'allow',
  });
  if (kind === 'price' && Array.isArray(instance.data)) {
    errors.push(...priceChoiceErrors(instance.data));
  }
  if (errors.length) throw new ValidationFailedError(errors);
  return {
    requestId: instance.requestId,
    ...(instance.on !== undefined && { on: instance.on }),
    data: instance.data.map((item) => ({ ...item })),
  };
}

/** Exactly one price per item: two different prices would leave us guessing which is meant. */
function priceChoiceErrors(items: PriceUpdateItem[]): FieldError[] {
  return items.flatMap((item, index) => {
    const given = PRICE_KEYS.filter((key) => item?.[key] !== undefined);
    return given.length === 1
      ? []
      : [{ path: `data[${index}]`, message: 'exactly one of price, sellingPrice or costPrice' }];
  });
}

/** The items of a validated payload, ready to apply. */
export function notificationItems(
  kind: NotificationKind,
  payload: NotificationPayload,
): NotificationItem[] {
  return payload.data.map((item) => ({
    sku: String(item.sku),
    value:
      kind === 'stock'
        ? Number(item.quantity)
        : Number(PRICE_KEYS.map((key) => item[key]).find((value) => value !== undefined)),
    updatedOn: parseAvasamDate(item.updatedOn)!,
  }));
}
