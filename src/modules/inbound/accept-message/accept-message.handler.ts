import { MessageContext, newMessageContext } from '../../../common/context';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { createHash, randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { DomainError, ErrorCode, ValidationFailedError } from '../../../common/errors';
import { allowedActionsOf } from '../../integrations';
import {
  EarlierRequest,
  EventsQueryService,
  MessageStatus,
  MessageStep,
  MessageTimeline,
  receivedDetail,
  TrackedJobData,
} from '../../events';
import { InboundQueueService } from '../inbound-queue.service';
import { AcceptedMessage, AcceptMessageCommand } from './accept-message.command';
import { validateInboundBody, ValidInboundMessage } from './inbound-body.validator';

/** Validate, queue durably, then answer: a messageId is only returned once Redis holds the job. */
@CommandHandler(AcceptMessageCommand)
export class AcceptMessageHandler implements ICommandHandler<
  AcceptMessageCommand,
  AcceptedMessage
> {
  constructor(
    private readonly queue: InboundQueueService,
    private readonly timeline: MessageTimeline,
    private readonly events: EventsQueryService,
  ) {}

  async execute(command: AcceptMessageCommand): Promise<AcceptedMessage> {
    const { integration } = command;
    const message = validateInboundBody(command.body, allowedActionsOf(integration));
    const messageId = command.idempotencyKey
      ? messageIdForKey(integration.id, command.idempotencyKey)
      : randomUUID();
    const job = newInboundJob(
      newMessageContext(messageId, command.correlationId, integration),
      message,
    );
    if (command.idempotencyKey) {
      const earlier = (
        await earlierRequests(this.queue, this.events, integration.accountId, [messageId])
      ).get(messageId);
      if (earlier) return replay(earlier, job);
    }
    const queued = await this.queue.enqueue(job, message.occurredAt);
    if (!queued.created) {
      // A request with the same Idempotency-Key queued it a moment before this one: the same
      // request answers its messageId, a different one 409 (never a 202 for a body not queued).
      const earlier = await this.queue.peek(messageId);
      return earlier ? replay(earlier, job) : { messageId };
    }
    this.timeline.recordInBackground(receivedStep(queued.data));
    return { messageId };
  }
}

/** Same Idempotency-Key as an earlier request: already queued, once. */
function replay(earlier: EarlierRequest, job: TrackedJobData): AcceptedMessage {
  if (!isSameRequest(earlier, job)) {
    throw new DomainError(
      ErrorCode.Conflict,
      409,
      'This Idempotency-Key was already used for a different request.',
    );
  }
  return { messageId: job.context.messageId };
}

/** The job of an inbound message accepted now, before it is queued. */
export function newInboundJob(
  context: MessageContext,
  message: ValidInboundMessage,
): TrackedJobData {
  return {
    context,
    source: 'inbound',
    action: message.action,
    entityId: message.entityId,
    payload: message.data,
    run: 0,
    priorAttempts: 0,
  };
}

/** The `received` step of an inbound message just queued. */
export function receivedStep(job: TrackedJobData): MessageStep {
  const detail = receivedDetail(job.context);
  return {
    context: job.context,
    source: 'inbound',
    action: job.action,
    entityId: job.entityId,
    step: 'received',
    status: MessageStatus.Received,
    run: 0,
    attempt: 0,
    totalAttempts: 0,
    at: new Date(job.context.receivedAt),
    payload: job.payload,
    ...(detail && { detail }),
  };
}

/**
 * What was sent earlier under these messageIds (Idempotency-Key resends): the queued job while
 * BullMQ keeps it, else the event, which is kept much longer than finished jobs (one read of the
 * store for all the ids Redis no longer holds).
 */
export async function earlierRequests(
  queue: InboundQueueService,
  events: EventsQueryService,
  accountId: string,
  messageIds: string[],
): Promise<Map<string, EarlierRequest>> {
  const jobs = await Promise.all(messageIds.map((id) => queue.peek(id)));
  const earlier = new Map<string, EarlierRequest>();
  jobs.forEach((job, i) => job && earlier.set(messageIds[i], job));
  const trimmed = messageIds.filter((id) => !earlier.has(id));
  for (const [id, request] of await events.earlierRequests(accountId, trimmed)) {
    earlier.set(id, request);
  }
  return earlier;
}

/** Whether a resend under an Idempotency-Key is the request that was queued under it. */
export function isSameRequest(earlier: EarlierRequest, job: EarlierRequest): boolean {
  return (
    earlier.action === job.action &&
    earlier.entityId === job.entityId &&
    isDeepStrictEqual(earlier.payload, job.payload)
  );
}

/** A UUID-shaped id derived from the integration and the caller's key (stable across retries). */
export function messageIdForKey(integrationId: string, key: string): string {
  if (key.length > 255) {
    throw new ValidationFailedError([
      { path: 'Idempotency-Key', message: 'Idempotency-Key must be at most 255 characters' },
    ]);
  }
  const hex = createHash('sha256').update(`${integrationId}\n${key}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
