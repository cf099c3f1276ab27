import { Injectable, Logger } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { randomUUID } from 'node:crypto';
import { NotificationType } from '../notification-types';
import { NotificationSettingsService } from '../settings/notification-settings.service';
import {
  DeliveryResponse,
  DeliveryStatus,
  NotificationDelivery,
} from './notification-delivery.schema';
import type { DeliverJobData } from './notification-queue';
import { SendOutcome, WebhookSender } from './webhook-sender';

export interface AttemptResult extends SendOutcome {
  /** False when there was nothing to send to (notifications turned off meanwhile). */
  sent: boolean;
  delivery: NotificationDelivery | null;
}

/** Sends deliveries and keeps their record (`notification_deliveries`), account-scoped. */
@Injectable()
export class DeliveriesService {
  private readonly logger = new Logger(DeliveriesService.name);

  constructor(
    @InjectModel(NotificationDelivery.name)
    private readonly deliveries: Model<NotificationDelivery>,
    private readonly settings: NotificationSettingsService,
    private readonly sender: WebhookSender,
  ) {}

  /**
   * One attempt: reads the integration's URL and secret now (a changed URL or a rotated secret
   * applies from the next attempt), sends, and records what the receiver answered.
   */
  async attempt(
    data: DeliverJobData,
    attempt: number,
    maxAttempts: number,
    nextAttemptAt?: (outcome: SendOutcome) => Date | undefined,
  ): Promise<AttemptResult> {
    const target = await this.settings.target(data.integrationId);
    const secret = target && (await this.settings.secret(data.integrationId));
    if (!target || !secret || target.accountId !== data.accountId) {
      const response = { error: 'notifications were turned off', at: new Date(), durationMs: 0 };
      const delivery = await this.record(data, 'failed', attempt, maxAttempts, response);
      return { sent: false, ok: false, response, delivery };
    }
    const outcome = await this.sender.send(target.url, secret, data.deliveryId, data.payload);
    const final = outcome.ok || attempt >= maxAttempts;
    const status: DeliveryStatus = outcome.ok ? 'succeeded' : final ? 'failed' : 'pending';
    let delivery: NotificationDelivery | null = null;
    try {
      delivery = await this.record(data, status, attempt, maxAttempts, outcome.response, {
        url: target.url,
        nextAttemptAt: final ? undefined : nextAttemptAt?.(outcome),
      });
    } catch (error) {
      // Sent is sent: a record that could not be written must not make the queue send it again.
      if (!outcome.ok) throw error;
      this.logger.warn(
        { err: error, deliveryId: data.deliveryId },
        'A delivery was sent but its record could not be written',
      );
    }
    return { ...outcome, sent: true, delivery };
  }

  /** `POST …/notifications/test`: a `message.test` delivery sent now, once (no retries). */
  async sendTest(accountId: string, integrationId: string): Promise<AttemptResult> {
    await this.settings.get(accountId, integrationId);
    const deliveryId = `test_${randomUUID()}`;
    const payload = {
      type: NotificationType.MessageTest,
      timestamp: new Date().toISOString(),
      data: { integrationId, test: true },
    };
    return this.attempt(
      { deliveryId, accountId, integrationId, type: NotificationType.MessageTest, payload },
      1,
      1,
    );
  }

  /** The integration's newest deliveries, at most `limit` (newest first; capped, not paged). */
  async list(
    accountId: string,
    integrationId: string,
    options: { limit: number; status?: DeliveryStatus },
  ) {
    await this.settings.integrationOf(accountId, integrationId);
    const filter = { accountId, integrationId, ...(options.status && { status: options.status }) };
    const docs = await this.deliveries
      .find(filter)
      .sort({ createdAt: -1, _id: -1 })
      .limit(options.limit)
      .lean();
    return docs.map(deliveryView);
  }

  /** A delivery BullMQ failed without running it (stalled too often): listed as failed. */
  async markFailed(data: DeliverJobData, attempts: number, maxAttempts: number, reason: string) {
    await this.record(data, 'failed', attempts, maxAttempts, {
      error: reason,
      at: new Date(),
      durationMs: 0,
    });
  }

  async deleteOlderThan(cutoff: Date): Promise<number> {
    const { deletedCount } = await this.deliveries.deleteMany({ createdAt: { $lt: cutoff } });
    return deletedCount;
  }

  private async record(
    data: DeliverJobData,
    status: DeliveryStatus,
    attempts: number,
    maxAttempts: number,
    lastResponse: DeliveryResponse,
    extra: { url?: string; nextAttemptAt?: Date } = {},
  ): Promise<NotificationDelivery | null> {
    return this.deliveries
      .findOneAndUpdate(
        { _id: data.deliveryId },
        {
          $setOnInsert: {
            accountId: data.accountId,
            integrationId: data.integrationId,
            type: data.type,
            ...(data.messageId && { messageId: data.messageId }),
            payload: data.payload,
          },
          $set: {
            status,
            attempts,
            maxAttempts,
            lastResponse,
            ...(extra.url && { url: extra.url }),
            ...(extra.nextAttemptAt ? { nextAttemptAt: extra.nextAttemptAt } : {}),
          },
          ...(extra.nextAttemptAt ? {} : { $unset: { nextAttemptAt: 1 } }),
        },
        { upsert: true, new: true },
      )
      .lean();
  }
}

export function deliveryView(doc: NotificationDelivery) {
  return {
    id: doc._id,
    type: doc.type,
    ...(doc.messageId && { messageId: doc.messageId }),
    status: doc.status,
    attempts: doc.attempts,
    maxAttempts: doc.maxAttempts,
    ...(doc.url && { url: doc.url }),
    ...(doc.lastResponse && { lastResponse: doc.lastResponse }),
    ...(doc.nextAttemptAt && { nextAttemptAt: doc.nextAttemptAt }),
    payload: doc.payload,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}
