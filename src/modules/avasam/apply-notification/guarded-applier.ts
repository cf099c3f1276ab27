import { Injectable } from '@nestjs/common';
import type { MessageContext } from '../../../common/context';
import { Env } from '../../../config/env';
import { AvvyrClient } from '../../avvyr';
import type { StepReporter } from '../../events';
import { EntityClaim, inventoryField, inventoryKey, priceKey } from '../../ordering';
import type { NotificationKind } from '../notifications/notification-kinds';
import type { NotificationItem } from '../notifications/parse-notification';
import type { AvasamSettings } from '../settings/avasam-settings';
import type { AppliedOutcome } from './apply-checkpoint';
import { partitionByWatermark, SupersededItem } from './partition-by-watermark';

/** Enough of a long list for a person to see what happened; the event's payload has it all. */
const LISTED = 100;
const NO_WATERMARKS = new Map<string, Date>();

/**
 * Applies a notification's items to Avvyr in their SKUs' order, through the same ordering module
 * as inbound messages (README "Ordering"): within the notification the latest change of a SKU
 * wins; an item older (by its `updatedOn`) than what was already applied to its SKU and warehouse
 * or price field is skipped (reported `superseded`); the rest go to the backend in one call, and
 * only then do the watermarks move.
 */
@Injectable()
export class GuardedApplier {
  constructor(
    private readonly avvyr: AvvyrClient,
    private readonly env: Env,
  ) {}

  async apply(
    kind: NotificationKind,
    context: MessageContext,
    settings: AvasamSettings,
    items: NotificationItem[],
    report: StepReporter,
    claim?: EntityClaim,
  ): Promise<AppliedOutcome> {
    const latest = partitionByWatermark(items, NO_WATERMARKS);
    const target = this.target(kind, settings);
    const field = kind === 'stock' ? inventoryField(target.warehouseId) : target.priceField!;
    const key = kind === 'stock' ? inventoryKey : priceKey;
    claim?.refine(
      latest.fresh.map((item) => ({
        key: key(item.sku),
        relative: false,
        fields: [field],
        atMs: item.updatedOn.getTime(),
      })),
    );
    const fresh = latest.fresh.filter((_, index) => !claim || claim.keeps(index, field));
    const superseded: SupersededItem[] = [
      ...latest.superseded,
      ...(claim?.superseded ?? []).map(({ unit, newerAt, newerMessageId }) => ({
        sku: latest.fresh[unit].sku,
        updatedOn: latest.fresh[unit].updatedOn.toISOString(),
        newerUpdatedOn: newerAt,
        newerMessageId,
      })),
    ];
    if (superseded.length) {
      await report('superseded', { count: superseded.length, items: superseded.slice(0, LISTED) });
    }
    let response: unknown;
    if (fresh.length) response = await this.send(kind, fresh, target, context);
    // Watermarks forward and the SKUs released before the acknowledgement, which may be retried.
    await claim?.commit();
    if (fresh.length) {
      await report('applied', {
        count: fresh.length,
        ...target,
        skus: fresh.slice(0, LISTED).map((item) => item.sku),
        response,
      });
    }
    return { applied: fresh.length, superseded: superseded.length };
  }

  private target(kind: NotificationKind, settings: AvasamSettings) {
    return kind === 'stock'
      ? { warehouseId: settings.warehouseId ?? this.env.AVASAM_DEFAULT_WAREHOUSE_ID }
      : { priceField: settings.priceField };
  }

  private send(
    kind: NotificationKind,
    items: NotificationItem[],
    target: { warehouseId?: string; priceField?: string },
    context: MessageContext,
  ): Promise<unknown> {
    const call = {
      messageId: context.messageId,
      accountId: context.accountId,
      correlationId: context.correlationId,
    };
    if (kind === 'stock') {
      return this.avvyr.setInventoryLevels(
        items.map((item) => ({
          sku: item.sku,
          quantity: item.value,
          warehouseId: target.warehouseId,
        })),
        call,
      );
    }
    return this.avvyr.setPrices(
      items.map((item) => ({ sku: item.sku, [target.priceField!]: item.value })),
      call,
    );
  }
}
