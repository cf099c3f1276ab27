import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import type { NotificationKind } from '../notifications/notification-kinds';
import type { NotificationItem } from '../notifications/parse-notification';
import { SkuWatermark } from './sku-watermark.schema';

const id = (integrationId: string, kind: NotificationKind, sku: string) =>
  `${integrationId}:${kind}:${sku}`;

/** Reads and advances the per-SKU watermarks of the staleness guard. */
@Injectable()
export class SkuWatermarks {
  constructor(@InjectModel(SkuWatermark.name) private readonly marks: Model<SkuWatermark>) {}

  async read(
    integrationId: string,
    kind: NotificationKind,
    skus: string[],
  ): Promise<Map<string, Date>> {
    const docs = await this.marks
      .find({ _id: { $in: [...new Set(skus)].map((sku) => id(integrationId, kind, sku)) } })
      .lean();
    return new Map(docs.map((doc) => [doc.sku, doc.updatedOn]));
  }

  /** After a successful backend call: each watermark only ever moves forward ($max). */
  async advance(
    integrationId: string,
    kind: NotificationKind,
    applied: NotificationItem[],
    messageId: string,
  ): Promise<void> {
    if (!applied.length) return;
    const appliedAt = new Date();
    await this.marks.bulkWrite(
      applied.map((item) => ({
        updateOne: {
          filter: { _id: id(integrationId, kind, item.sku) },
          update: {
            $max: { updatedOn: item.updatedOn },
            $set: { messageId, appliedAt },
            $setOnInsert: { integrationId, kind, sku: item.sku },
          },
          upsert: true,
        },
      })),
      { ordered: false },
    );
  }
}
