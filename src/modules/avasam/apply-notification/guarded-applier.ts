import { Injectable } from '@nestjs/common';
import type { MessageContext } from '../../../common/context';
import { Env } from '../../../config/env';
import { AvvyrClient } from '../../avvyr';
import type { StepReporter } from '../../events';
import type { NotificationKind } from '../notifications/notification-kinds';
import type { NotificationItem } from '../notifications/parse-notification';
import type { AvasamSettings } from '../settings/avasam-settings';
import type { AppliedOutcome } from './apply-checkpoint';
import { ApplyLock } from './apply-lock';
import { partitionByWatermark } from './partition-by-watermark';
import { SkuWatermarks } from './sku-watermarks';

/** Enough of a long list for a person to see what happened; the event's payload has it all. */
const LISTED = 100;

/**
 * Applies a notification's items to Avvyr behind the staleness guard: under the integration's
 * lock, items older than their SKU's watermark are skipped (reported `superseded`), the rest go
 * to the backend in one call, and only then do the watermarks move.
 */
@Injectable()
export class GuardedApplier {
  constructor(
    private readonly lock: ApplyLock,
    private readonly watermarks: SkuWatermarks,
    private readonly avvyr: AvvyrClient,
    private readonly env: Env,
  ) {}

  apply(
    kind: NotificationKind,
    context: MessageContext,
    settings: AvasamSettings,
    items: NotificationItem[],
    report: StepReporter,
  ): Promise<AppliedOutcome> {
    const { integrationId } = context;
    return this.lock.run(`${integrationId}:${kind}`, async () => {
      const current = await this.watermarks.read(
        integrationId,
        kind,
        items.map((item) => item.sku),
      );
      const { fresh, superseded } = partitionByWatermark(items, current);
      if (superseded.length) {
        await report('superseded', {
          count: superseded.length,
          items: superseded.slice(0, LISTED),
        });
      }
      if (fresh.length) {
        const target = this.target(kind, settings);
        const response = await this.send(kind, fresh, target, context);
        await this.watermarks.advance(integrationId, kind, fresh, context.messageId);
        await report('applied', {
          count: fresh.length,
          ...target,
          skus: fresh.slice(0, LISTED).map((item) => item.sku),
          response,
        });
      }
      return { applied: fresh.length, superseded: superseded.length };
    });
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
