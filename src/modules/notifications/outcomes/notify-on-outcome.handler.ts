import { Logger } from '@nestjs/common';
import { EventsHandler, IEventHandler } from '@nestjs/cqrs';
import { MessageStepRecorded } from '../../events';
import type { MessageStep } from '../../events';
import { messageDeliveryId, notificationTypeOf, SubscribableType } from '../notification-types';
import { NotificationQueue } from '../deliveries/notification-queue';
import { NotificationSettingsService } from '../settings/notification-settings.service';

/**
 * A message failed, succeeded or had values superseded: when its integration subscribed to
 * that, queue a delivery. Runs off the EventBus after the step is projected, in the process
 * that recorded it, and never throws or delays the message: errors are logged and counted.
 */
@EventsHandler(MessageStepRecorded)
export class NotifyOnOutcomeHandler implements IEventHandler<MessageStepRecorded> {
  private readonly logger = new Logger(NotifyOnOutcomeHandler.name);

  constructor(
    private readonly settings: NotificationSettingsService,
    private readonly queue: NotificationQueue,
  ) {}

  handle({ step }: MessageStepRecorded): void {
    const type = notificationTypeOf(step);
    if (!type) return;
    this.notify(step, type).catch((error: unknown) =>
      this.logger.warn(
        { err: error, messageId: step.context.messageId },
        'Could not read the notification settings; this notification is not sent',
      ),
    );
  }

  private async notify(step: MessageStep, type: SubscribableType): Promise<void> {
    const target = await this.settings.cachedTarget(step.context.integrationId);
    if (!target?.events.includes(type) || target.accountId !== step.context.accountId) return;
    const deliveryId = messageDeliveryId(step.context.messageId, type, step.run);
    await this.queue.enqueue({
      deliveryId,
      accountId: step.context.accountId,
      integrationId: step.context.integrationId,
      type,
      messageId: step.context.messageId,
      payload: notificationPayload(step, type),
    });
  }
}

/** The Standard Webhooks payload `{type, timestamp, data}` (no message payload: personal data). */
export function notificationPayload(
  step: MessageStep,
  type: SubscribableType,
): Record<string, unknown> {
  const { context } = step;
  return {
    type,
    timestamp: step.at.toISOString(),
    data: {
      messageId: context.messageId,
      integrationId: context.integrationId,
      source: step.source,
      action: step.action,
      ...(step.entityId !== undefined && { entityId: step.entityId }),
      ...(step.externalId !== undefined && { externalId: step.externalId }),
      status: step.status ?? 'processing',
      step: step.step,
      run: step.run,
      attempts: step.totalAttempts,
      receivedAt: context.receivedAt,
      ...(step.error && {
        error: {
          code: step.error.code,
          message: step.error.message,
          ...(step.error.httpStatus !== undefined && { httpStatus: step.error.httpStatus }),
          retryable: step.error.retryable,
        },
      }),
      ...(type === 'message.superseded' && step.detail && { superseded: step.detail }),
      event: `/v1/integrations/events/${context.messageId}`,
    },
  };
}
