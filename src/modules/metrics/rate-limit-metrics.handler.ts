import { EventsHandler, IEventHandler } from '@nestjs/cqrs';
import { MessagesRateLimited } from '../inbound';
import { MetricsRegistry } from './metrics.registry';

/** avvyr_messages_rate_limited_total{integration}: messages refused with a 429. */
@EventsHandler(MessagesRateLimited)
export class RateLimitMetricsHandler implements IEventHandler<MessagesRateLimited> {
  constructor(private readonly metrics: MetricsRegistry) {}

  handle(event: MessagesRateLimited): void {
    this.metrics.messagesRateLimited.inc({ integration: event.integrationId }, event.messages);
  }
}
