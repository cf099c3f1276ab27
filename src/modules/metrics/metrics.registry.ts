import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

const MESSAGE_LABELS = ['source', 'action'] as const;

/**
 * Every metric of one service instance, on a registry of its own (not prom-client's global one),
 * so several instances in one process (the tests) never collide. Queue depth: QueueDepthCollector.
 */
@Injectable()
export class MetricsRegistry {
  readonly registry = new Registry();
  private readonly registers = [this.registry];

  readonly httpRequestDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route pattern and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: this.registers,
  });

  readonly messagesAccepted = new Counter({
    name: 'avvyr_messages_accepted_total',
    help: 'Messages accepted (durably queued) by source and action',
    labelNames: MESSAGE_LABELS,
    registers: this.registers,
  });

  readonly messagesSucceeded = new Counter({
    name: 'avvyr_messages_succeeded_total',
    help: 'Messages processed successfully by source and action',
    labelNames: MESSAGE_LABELS,
    registers: this.registers,
  });

  readonly messagesFailed = new Counter({
    name: 'avvyr_messages_failed_total',
    help: 'Messages that failed for good (permanent error or attempts exhausted)',
    labelNames: MESSAGE_LABELS,
    registers: this.registers,
  });

  readonly messagesRetried = new Counter({
    name: 'avvyr_messages_retried_total',
    help: 'Retries: automatic (an attempt failed and another is scheduled) or manual (retry API)',
    labelNames: [...MESSAGE_LABELS, 'trigger'] as const,
    registers: this.registers,
  });

  readonly messagesSuperseded = new Counter({
    name: 'avvyr_messages_superseded_total',
    help: 'Messages some of whose values a newer message on the same entity key had already applied',
    labelNames: MESSAGE_LABELS,
    registers: this.registers,
  });

  readonly replayMessages = new Counter({
    name: 'avvyr_replay_messages_total',
    help: 'Events handled by bulk replays: queued again, or skipped (no longer failed, or gone)',
    labelNames: ['outcome'] as const,
    registers: this.registers,
  });

  readonly messagesRateLimited = new Counter({
    name: 'avvyr_messages_rate_limited_total',
    help: 'Inbound messages refused with a 429 (over their integration rate limit), by integration id',
    labelNames: ['integration'] as const,
    registers: this.registers,
  });

  readonly processingDuration = new Histogram({
    name: 'avvyr_message_processing_duration_seconds',
    help: 'Duration of one processing attempt, by outcome (succeeded, retrying, failed)',
    labelNames: [...MESSAGE_LABELS, 'outcome'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: this.registers,
  });

  readonly endToEndDuration = new Histogram({
    name: 'avvyr_message_end_to_end_seconds',
    help: 'From acceptance to the final outcome (succeeded or failed), retries included',
    labelNames: [...MESSAGE_LABELS, 'outcome'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 60, 300, 1800, 7200],
    registers: this.registers,
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  metrics(): Promise<string> {
    return this.registry.metrics();
  }
}
