import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import {
  DomainError,
  ErrorCode,
  ForbiddenError,
  NotFoundError,
  ValidationFailedError,
} from '../../../common/errors';
import { MessageContext, newMessageContext, storedMessageContext } from '../../../common/context';
import { EventsQueryService, MessageStatus, MessageTimeline, TrackedJobData } from '../../events';
import { IntegrationsService, IntegrationView } from '../../integrations';
import { AvasamQueueService } from '../avasam-queue.service';
import { NOTIFICATION_KINDS } from '../notifications/notification-kinds';
import { notificationMessageId } from '../notifications/notification-message-id';
import { parseNotification } from '../notifications/parse-notification';
import { AvasamSecrets } from '../settings/avasam-secrets';
import { readAvasamSettings } from '../settings/avasam-settings';
import { ReceivedNotification, ReceiveNotificationCommand } from './receive-notification.command';
import { checkRequestId, verifyWebhookToken } from './webhook-token';

/**
 * Verify, then validate, dedupe and queue durably; 200 only once Redis holds the job. Nothing is
 * stored or queued for a call that fails verification.
 */
@CommandHandler(ReceiveNotificationCommand)
export class ReceiveNotificationHandler implements ICommandHandler<
  ReceiveNotificationCommand,
  ReceivedNotification
> {
  constructor(
    private readonly integrations: IntegrationsService,
    private readonly secrets: AvasamSecrets,
    private readonly queue: AvasamQueueService,
    private readonly events: EventsQueryService,
    private readonly timeline: MessageTimeline,
  ) {}

  async execute(command: ReceiveNotificationCommand): Promise<ReceivedNotification> {
    const integration = await this.avasamIntegration(command.integrationId);
    const body = asObject(command.body);
    const settings = readAvasamSettings(integration.settings);
    const claims = await verifyWebhookToken(
      body.token,
      await this.secrets.verificationToken(settings),
    );
    if (typeof body.requestId === 'string') checkRequestId(claims, body.requestId);
    // Only a caller holding the verification token learns that the integration is disabled.
    if (!integration.enabled) {
      throw new ForbiddenError(
        ErrorCode.IntegrationDisabled,
        'This integration is disabled; enable it to receive Avasam notifications.',
      );
    }
    const payload = parseNotification(command.kind, body);

    const messageId = notificationMessageId(integration.id, command.kind, payload.requestId);
    const earlier = await this.earlierDelivery(integration.accountId, messageId);
    const received = { received: true as const, messageId, requestId: payload.requestId };
    if (earlier) {
      this.recordRedelivery(earlier, command);
      return { ...received, duplicate: true };
    }
    const job: TrackedJobData = {
      context: newMessageContext(messageId, command.correlationId, integration),
      source: 'avasam',
      action: NOTIFICATION_KINDS[command.kind].action,
      externalId: payload.requestId,
      payload,
      run: 0,
      priorAttempts: 0,
    };
    const queued = await this.queue.enqueue(job);
    // Delivered twice at once: the other delivery queued it a moment before this one.
    if (!queued.created) return { ...received, duplicate: true };
    this.timeline.recordInBackground({
      ...this.stepBase(job.context, command),
      step: 'received',
      status: MessageStatus.Received,
      at: new Date(job.context.receivedAt),
      externalId: payload.requestId,
      payload,
      detail: { items: payload.data.length, ...(payload.on && { sentOn: payload.on }) },
    });
    return { ...received, duplicate: false };
  }

  private async avasamIntegration(id: string): Promise<IntegrationView> {
    const integration = await this.integrations.findById(id);
    if (!integration || integration.service !== 'avasam') {
      throw new NotFoundError(ErrorCode.IntegrationNotFound, `Integration ${id} was not found.`);
    }
    return integration;
  }

  /** The first delivery of this notification (its event, or its job), if there was one. */
  private async earlierDelivery(
    accountId: string,
    messageId: string,
  ): Promise<EventView | undefined> {
    try {
      return await this.events.get(accountId, messageId);
    } catch (error) {
      if (error instanceof DomainError && error.code === ErrorCode.EventNotFound) return undefined;
      throw error;
    }
  }

  /** A redelivery is visible on the event's timeline, but changes nothing else. */
  private recordRedelivery(earlier: EventView, command: ReceiveNotificationCommand): void {
    this.timeline.recordInBackground({
      ...this.stepBase(storedMessageContext(earlier), command),
      step: 'redelivered',
      at: new Date(),
      // Carried in case this step creates the event document (its first steps not projected yet).
      externalId: earlier.externalId,
      payload: earlier.payload,
      detail: { correlationId: command.correlationId },
    });
  }

  private stepBase(context: MessageContext, command: ReceiveNotificationCommand) {
    return {
      context,
      source: 'avasam' as const,
      action: NOTIFICATION_KINDS[command.kind].action,
      run: 0,
      attempt: 0,
      totalAttempts: 0,
    };
  }
}

type EventView = Awaited<ReturnType<EventsQueryService['get']>>;

function asObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ValidationFailedError([
      { path: '', message: 'the body must be a JSON object {requestId, on, token, data}' },
    ]);
  }
  return body as Record<string, unknown>;
}
