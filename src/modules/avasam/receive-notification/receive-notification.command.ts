import { Command } from '@nestjs/cqrs';
import type { NotificationKind } from '../notifications/notification-kinds';

export interface ReceivedNotification {
  received: true;
  messageId: string;
  requestId: string;
  /** True when this requestId had already been received: answered, not queued again. */
  duplicate: boolean;
}

/** A webhook call from Avasam, not yet verified, validated or queued. */
export class ReceiveNotificationCommand extends Command<ReceivedNotification> {
  constructor(
    readonly integrationId: string,
    readonly kind: NotificationKind,
    readonly body: unknown,
    readonly correlationId: string,
  ) {
    super();
  }
}
