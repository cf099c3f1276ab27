import { EventsHandler, IEventHandler } from '@nestjs/cqrs';
import { ReplayPageProcessed } from '../events';
import { MetricsRegistry } from './metrics.registry';

/** `avvyr_replay_messages_total{outcome}`: what bulk replays did with the events they reached. */
@EventsHandler(ReplayPageProcessed)
export class ReplayMetricsHandler implements IEventHandler<ReplayPageProcessed> {
  constructor(private readonly metrics: MetricsRegistry) {}

  handle({ queued, skipped }: ReplayPageProcessed): void {
    if (queued) this.metrics.replayMessages.inc({ outcome: 'queued' }, queued);
    if (skipped) this.metrics.replayMessages.inc({ outcome: 'skipped' }, skipped);
  }
}
