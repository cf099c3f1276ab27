import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DomainError, ErrorCode } from '../../../common/errors';
import { MessageSource, storedMessageContext } from '../../../common/context';
import { EventsQueryService } from '../query/events-query.service';
import { MessageStatus } from '../timeline/message-step';
import { MessageTimeline } from '../timeline/message-timeline';
import { MessageQueueAccess, MessageSources } from './message-sources';
import { RetryEventCommand, RetryEventResult } from './retry-event.command';

@CommandHandler(RetryEventCommand)
export class RetryEventHandler implements ICommandHandler<RetryEventCommand, RetryEventResult> {
  constructor(
    private readonly query: EventsQueryService,
    private readonly sources: MessageSources,
    private readonly timeline: MessageTimeline,
  ) {}

  async execute(command: RetryEventCommand): Promise<RetryEventResult> {
    const { source } = await this.query.get(command.accountId, command.messageId);
    const access = this.sources.get(source as MessageSource);
    if (!access) throw new Error(`No queue is registered for source ${source}`);
    // Checked and queued under the message's retry lock: of concurrent retries (a double click,
    // a bulk replay meeting a single retry) one queues a run, the others get 409.
    return access.exclusively(command.messageId, () => this.retry(command, access));
  }

  private async retry(
    command: RetryEventCommand,
    access: MessageQueueAccess,
  ): Promise<RetryEventResult> {
    // Read again under the lock: a retry that just finished has moved the event on.
    const event = await this.query.get(command.accountId, command.messageId);
    const source = event.source as MessageSource;
    // The job is the source of truth: one BullMQ failed whose `failed` step never reached the
    // event (a lost projection) is retryable too.
    if (
      event.status !== MessageStatus.Failed &&
      (await access.jobState(event.messageId)) !== 'failed'
    ) {
      throw new DomainError(
        ErrorCode.EventNotRetryable,
        409,
        `Only failed events can be retried; this one is ${event.status}.`,
      );
    }
    const lastRun = Math.max(0, ...event.timeline.map((entry) => entry.run ?? 0));
    const context = storedMessageContext(event);
    const job = {
      context,
      source,
      action: event.action,
      entityId: event.entityId,
      externalId: event.externalId,
      payload: event.payload,
      run: lastRun + 1,
      priorAttempts: event.attempts,
      ...(command.replayId && { replayId: command.replayId }),
    };
    const requestedAt = new Date();
    await access.requeue(job);
    await this.timeline.record({
      context,
      source,
      action: event.action,
      entityId: event.entityId,
      step: 'manual-retry',
      status: MessageStatus.Received,
      run: job.run,
      attempt: 0,
      totalAttempts: event.attempts,
      at: requestedAt,
      detail: {
        requestedBy: command.requestedBy,
        ...(command.replayId && { replayId: command.replayId }),
      },
      replayId: command.replayId,
    });
    return { messageId: event.messageId, status: 'received' };
  }
}
