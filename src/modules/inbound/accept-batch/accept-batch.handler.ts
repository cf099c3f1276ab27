import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { newMessageContext } from '../../../common/context';
import { DomainError, ErrorCode, FieldError, ValidationFailedError } from '../../../common/errors';
import { EarlierRequest, EventsQueryService, MessageTimeline, TrackedJobData } from '../../events';
import { allowedActionsOf } from '../../integrations';
import {
  earlierRequests,
  isSameRequest,
  messageIdForKey,
  newInboundJob,
  receivedStep,
} from '../accept-message/accept-message.handler';
import { validateInboundBody, ValidInboundMessage } from '../accept-message/inbound-body.validator';
import { InboundQueueService } from '../inbound-queue.service';
import { AcceptBatchCommand, AcceptedBatch, BatchResult } from './accept-batch.command';

export const MAX_BATCH_MESSAGES = 1000;

type Rejection = Extract<BatchResult, { status: number }>;
interface Candidate {
  index: number;
  message: ValidInboundMessage;
  idempotencyKey?: string;
}

/**
 * Validates each message on its own, queues every valid one in one Redis transaction (in array
 * order, which is their order on their entity keys), then answers with one result per message.
 * The 202 is sent only once Redis holds them all; if Redis fails, none is queued (503).
 */
@CommandHandler(AcceptBatchCommand)
export class AcceptBatchHandler implements ICommandHandler<AcceptBatchCommand, AcceptedBatch> {
  constructor(
    private readonly queue: InboundQueueService,
    private readonly timeline: MessageTimeline,
    private readonly events: EventsQueryService,
  ) {}

  async execute(command: AcceptBatchCommand): Promise<AcceptedBatch> {
    const messages = batchMessages(command.body);
    const batchId = randomUUID();
    const { integration } = command;
    const results: BatchResult[] = new Array<BatchResult>(messages.length);
    const candidates: Candidate[] = [];
    const allowed = allowedActionsOf(integration);
    messages.forEach((raw, index) => {
      const checked = checkMessage(raw, index, allowed);
      if ('status' in checked) results[index] = checked;
      else candidates.push(checked);
    });

    const toQueue: { data: TrackedJobData; occurredAt?: string; index: number }[] = [];
    const keyed = new Map<string, TrackedJobData>();
    const earlier = await this.earlierJobs(integration, candidates);
    for (const { index, message, idempotencyKey } of candidates) {
      const messageId = idempotencyKey
        ? messageIdForKey(integration.id, idempotencyKey)
        : randomUUID();
      const context = newMessageContext(messageId, command.correlationId, integration);
      const data = newInboundJob({ ...context, batchId, batchIndex: index }, message);
      const same = idempotencyKey ? (keyed.get(messageId) ?? earlier.get(messageId)) : undefined;
      if (same) {
        // A key already used (earlier, or higher up in this batch): queued once.
        results[index] = isSameRequest(same, data) ? { index, messageId } : keyConflict(index);
        continue;
      }
      if (idempotencyKey) keyed.set(messageId, data);
      toQueue.push({ data, occurredAt: message.occurredAt, index });
      results[index] = { index, messageId };
    }

    const rejected = results.filter((result) => 'status' in result);
    if (rejected.length === messages.length) {
      const errors = rejected.flatMap((result) => result.errors);
      // Nothing valid: a 403 when every message was only refused its action, else a 400.
      if (rejected.every((result) => result.code === ErrorCode.ActionNotAllowed)) {
        throw new DomainError(
          ErrorCode.ActionNotAllowed,
          403,
          `No message of this batch is allowed. Allowed actions: ${allowed.join(', ')}.`,
          errors,
          'Action not allowed',
        );
      }
      throw new ValidationFailedError(errors);
    }
    const queued = await this.queue.enqueueMany(toQueue);
    for (const [i, { data, created }] of queued.entries()) {
      const { index } = toQueue[i];
      if (created) {
        this.timeline.recordInBackground(receivedStep(data));
        continue;
      }
      // Its idempotencyKey was queued a moment before by a concurrent request: the same message
      // stands as accepted (once), a different one is refused.
      const same = await this.queue.peek(data.context.messageId);
      if (same && !isSameRequest(same, data)) results[index] = keyConflict(index);
    }
    const refused = results.filter((result) => 'status' in result).length;
    return { batchId, results, accepted: results.length - refused, rejected: refused };
  }

  /** What was sent earlier under the messageIds the batch's idempotency keys derive. */
  private earlierJobs(
    integration: { id: string; accountId: string },
    candidates: Candidate[],
  ): Promise<Map<string, EarlierRequest>> {
    const ids = candidates.flatMap(({ idempotencyKey }) =>
      idempotencyKey ? [messageIdForKey(integration.id, idempotencyKey)] : [],
    );
    return earlierRequests(this.queue, this.events, integration.accountId, [...new Set(ids)]);
  }
}

/** The envelope `{messages: [1…1000 objects]}`; anything else is a 400 for the whole batch. */
function batchMessages(body: unknown): unknown[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ValidationFailedError([
      { path: '', message: 'the body must be a JSON object {messages: [...]}' },
    ]);
  }
  const errors: FieldError[] = Object.keys(body)
    .filter((key) => key !== 'messages')
    .map((key) => ({ path: key, message: `property ${key} should not exist` }));
  const { messages } = body as { messages?: unknown };
  if (!Array.isArray(messages)) {
    errors.push({ path: 'messages', message: 'messages must be an array of messages' });
  } else if (messages.length < 1 || messages.length > MAX_BATCH_MESSAGES) {
    errors.push({
      path: 'messages',
      message: `messages must hold 1 to ${MAX_BATCH_MESSAGES} messages (it has ${messages.length})`,
    });
  }
  if (errors.length) throw new ValidationFailedError(errors);
  return messages as unknown[];
}

/** One message: the single endpoint's validation, plus its own `idempotencyKey`. */
function checkMessage(
  raw: unknown,
  index: number,
  allowedActions: readonly string[],
): Candidate | Rejection {
  let idempotencyKey: string | undefined;
  let envelope = raw;
  if (typeof raw === 'object' && raw !== null && !Array.isArray(raw) && 'idempotencyKey' in raw) {
    const { idempotencyKey: key, ...rest } = raw as Record<string, unknown>;
    envelope = rest;
    if (typeof key !== 'string' || key.length < 1 || key.length > 255) {
      return rejection(index, 400, ErrorCode.ValidationFailed, [
        {
          path: `messages[${index}].idempotencyKey`,
          message: 'idempotencyKey must be a string of 1 to 255 characters',
        },
      ]);
    }
    idempotencyKey = key;
  }
  try {
    return { index, message: validateInboundBody(envelope, allowedActions), idempotencyKey };
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return rejection(
      index,
      error.status,
      error.code,
      error.errors.map((e) => ({
        path: e.path ? `messages[${index}].${e.path}` : `messages[${index}]`,
        message: e.message,
      })),
    );
  }
}

function rejection(index: number, status: number, code: string, errors: FieldError[]): Rejection {
  return { index, status, code, errors };
}

function keyConflict(index: number): Rejection {
  return rejection(index, 409, ErrorCode.Conflict, [
    {
      path: `messages[${index}].idempotencyKey`,
      message: 'this idempotencyKey was already used for a different message',
    },
  ]);
}
