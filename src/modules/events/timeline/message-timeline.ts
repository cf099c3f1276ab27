import { Injectable, Logger } from '@nestjs/common';
import { EventBus } from '@nestjs/cqrs';
import { MessageStatus, MessageStep } from './message-step';
import { MessageStepRecorded } from './message-step-recorded.event';
import { ProjectionWriter } from './projection-writer';

/**
 * Beyond this many unwritten steps the `received` projection is shed: under overload the API
 * would otherwise hold every accepted message's event in memory until the store catches up.
 * Nothing is lost: the worker's `processing` step carries the payload and creates the event,
 * and until then GET /events/{messageId} answers from the queued job.
 */
export const SHED_RECEIVED_ABOVE_BACKLOG = 500;
/**
 * How long a `received` step may wait for others to share its write (ProjectionWriter
 * `lingerMs`): the events list lags a 202 by about this much more, so that at moderate rates the
 * store takes a few batched inserts instead of one insert per message.
 */
export const RECEIVED_LINGER_MS = 50;

/** The one way to record what happened to a message. */
@Injectable()
export class MessageTimeline {
  private readonly logger = new Logger(MessageTimeline.name);

  constructor(
    private readonly writer: ProjectionWriter,
    private readonly eventBus: EventBus,
  ) {}

  /** Resolves once the step is projected; rejects if the projection write failed. */
  async record(
    step: MessageStep,
    { deferMs = 0, lingerMs = 0 }: { deferMs?: number; lingerMs?: number } = {},
  ): Promise<void> {
    // A message's first step usually creates its event: offer it as an insert.
    const first = step.status === MessageStatus.Received && step.run === 0;
    await this.writer.write(step, { first, deferMs, lingerMs });
    this.eventBus.publish(new MessageStepRecorded(step));
  }

  /**
   * For steps whose projection may lag: the next step heals a lost one. `deferMs` lets a later
   * step of the same message share the write; a `received` step lingers RECEIVED_LINGER_MS so
   * that the steps of many messages share one (see ProjectionWriter).
   */
  recordInBackground(step: MessageStep, options: { deferMs?: number } = {}): void {
    if (step.step === 'received' && this.writer.backlog > SHED_RECEIVED_ABOVE_BACKLOG) {
      this.eventBus.publish(new MessageStepRecorded(step));
      return;
    }
    const linger = step.step === 'received' ? { lingerMs: RECEIVED_LINGER_MS } : {};
    this.record(step, { ...linger, ...options }).catch((error: unknown) =>
      this.logger.warn(
        { err: error, messageId: step.context.messageId, step: step.step },
        'Projection of a step failed; it heals at the next step',
      ),
    );
  }
}
