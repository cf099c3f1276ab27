import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DomainError, ErrorCode } from '../../../common/errors';
import { MessageSource, storedMessageContext } from '../../../common/context';
import { EventsQueryService } from '../query/events-query.service';
import { MessageStatus } from '../timeline/message-step';
import { MessageTimeline } from '../timeline/message-timeline';
import { MessageSources } from './message-sources';
import { RetryEventCommand, RetryEventResult } from './retry-event.command';

@CommandHandler(RetryEventCommand)
export class RetryEventHandler implements ICommandHandler<RetryEventCommand, RetryEventResult> {
  constructor(
    private readonly query: EventsQueryService,
    private readonly sources: MessageSources,
    private readonly timeline: MessageTimeline,
  ) {}

  async execute(command: RetryEventCommand): Promise<RetryEventResult> {
    const event = await this.query.get(command.accountId, command.messageId);
    const source = event.source as MessageSource;
    const access = this.sources.get(source);
    if (!access) throw new Error(`No queue is registered for source ${source}`);
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
