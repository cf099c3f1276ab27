import { Injectable } from '@nestjs/common';
import { Env } from '../../config/env';
import { MessageSources, TrackedJobData, TrackedMessageQueue } from '../events';
import { EntityUnit, inventoryKey, MessageOrdering, priceKey } from '../ordering';
import { AVASAM_QUEUE } from './avasam-queue';
import { kindOfAction } from './notifications/notification-kinds';
import type { NotificationPayload } from './notifications/parse-notification';

/** Producer side of the Avasam queue, and the events module's handle on it (retry, peek). */
@Injectable()
export class AvasamQueueService extends TrackedMessageQueue {
  constructor(env: Env, sources: MessageSources, ordering: MessageOrdering) {
    super('avasam', AVASAM_QUEUE, env, sources, ordering);
  }

  /**
   * A notification's SKUs, on the same keys as inbound stock and prices. Which warehouse or
   * price field is only known from the settings when it is applied (GuardedApplier refines).
   */
  unitsOf(data: TrackedJobData): EntityUnit[] {
    const kind = kindOfAction(data.action);
    const items = (data.payload as NotificationPayload | undefined)?.data ?? [];
    if (!kind || !Array.isArray(items)) return [];
    const key = kind === 'stock' ? inventoryKey : priceKey;
    return items.map((item) => ({ key: key(item.sku), relative: false, fields: [] }));
  }
}
