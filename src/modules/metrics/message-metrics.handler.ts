import { EventsHandler, IEventHandler } from '@nestjs/cqrs';
import { LRUCache } from 'lru-cache';
import { MessageStatus, MessageStepRecorded } from '../events';
import type { MessageStep } from '../events';
import { MetricsRegistry } from './metrics.registry';

/** Attempts in flight at once per process is bounded by WORKER_CONCURRENCY; this is ample. */
const MAX_TRACKED_ATTEMPTS = 20_000;

/** Counts messages by what each recorded step did to them, and times their attempts. */
@EventsHandler(MessageStepRecorded)
export class MessageMetricsHandler implements IEventHandler<MessageStepRecorded> {
  private readonly attemptStarts = new LRUCache<string, number>({ max: MAX_TRACKED_ATTEMPTS });

  constructor(private readonly metrics: MetricsRegistry) {}

  handle({ step }: MessageStepRecorded): void {
    const labels = { source: step.source, action: step.action };
    if (step.step === 'superseded') this.metrics.messagesSuperseded.inc(labels);
    switch (step.status) {
      case MessageStatus.Received:
        // Run 0 is the original acceptance; a later run is a manual retry.
        if (step.run === 0) this.metrics.messagesAccepted.inc(labels);
        else this.metrics.messagesRetried.inc({ ...labels, trigger: 'manual' });
        break;
      case MessageStatus.Processing:
        this.attemptStarts.set(attemptKey(step), step.at.getTime());
        break;
      case MessageStatus.Retrying:
        this.metrics.messagesRetried.inc({ ...labels, trigger: 'automatic' });
        this.observeAttempt(step, 'retrying');
        break;
      case MessageStatus.Succeeded:
        this.metrics.messagesSucceeded.inc(labels);
        this.observeAttempt(step, 'succeeded');
        this.observeEndToEnd(step, 'succeeded');
        break;
      case MessageStatus.Failed:
        this.metrics.messagesFailed.inc(labels);
        this.observeAttempt(step, 'failed');
        this.observeEndToEnd(step, 'failed');
        break;
    }
  }

  private observeAttempt(step: MessageStep, outcome: string): void {
    const key = attemptKey(step);
    const startedAt = this.attemptStarts.get(key);
    if (startedAt === undefined) return;
    this.attemptStarts.delete(key);
    this.metrics.processingDuration.observe(
      { source: step.source, action: step.action, outcome },
      Math.max(0, step.at.getTime() - startedAt) / 1000,
    );
  }

  private observeEndToEnd(step: MessageStep, outcome: string): void {
    const receivedAt = Date.parse(step.context.receivedAt);
    if (Number.isNaN(receivedAt)) return;
    this.metrics.endToEndDuration.observe(
      { source: step.source, action: step.action, outcome },
      Math.max(0, step.at.getTime() - receivedAt) / 1000,
    );
  }
}

function attemptKey(step: MessageStep): string {
  return `${step.context.messageId}:${step.run}:${step.attempt}`;
}
