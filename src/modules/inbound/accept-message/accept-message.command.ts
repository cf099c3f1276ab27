import { Command } from '@nestjs/cqrs';
import type { IntegrationView } from '../../integrations';

export interface AcceptedMessage {
  messageId: string;
}

/** An authenticated inbound request, not yet validated or queued. */
export class AcceptMessageCommand extends Command<AcceptedMessage> {
  constructor(
    readonly integration: IntegrationView,
    readonly body: unknown,
    readonly correlationId: string,
    /** The caller's Idempotency-Key header: the same key always yields the same messageId. */
    readonly idempotencyKey?: string,
  ) {
    super();
  }
}
