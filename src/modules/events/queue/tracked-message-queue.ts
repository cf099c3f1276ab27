import { OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import DataLoader from 'dataloader';
import type { Env } from '../../../config/env';
import type { MessageSource } from '../../../common/context';
import { FailFastQueue, trackedJobOptions } from '../../../common/queue';
import type { EntityUnit, MessageOrdering, OrderedMessageRef } from '../../ordering';
import { MessageQueueAccess, MessageSources, QueueDepth } from '../retry/message-sources';
import type { TrackedJobData } from '../timeline/tracked-job';

/**
 * A message as queued. `created` is false when a job of its messageId was already there (an
 * Idempotency-Key sent twice at once): nothing was queued, the earlier job stands.
 */
export interface QueuedJob {
  data: TrackedJobData;
  created: boolean;
}

interface QueuedMessage {
  data: TrackedJobData;
  occurredAt?: string;
}

/** Most single messages one transaction takes (the batch endpoint's own limit). */
const COALESCE_MAX = 1000;
/**
 * How long a manual retry may hold its message's lock: its checks, requeue and `manual-retry`
 * step take milliseconds, but the step waits while the store is unreachable.
 */
const RETRY_LOCK_TTL_MS = 30_000;

/**
 * Producer side of one source's queue (inbound, avasam), and the events module's handle on it
 * (manual retry, peek at a job not projected yet). Registers itself with MessageSources. Every
 * message is queued with its place in its entity keys' order (README "Ordering").
 */
export abstract class TrackedMessageQueue
  implements MessageQueueAccess, OnModuleInit, OnApplicationShutdown
{
  private readonly queue: FailFastQueue<TrackedJobData>;
  /**
   * Single messages accepted in the same turn of the event loop (requests that arrived
   * together) share one transaction: one round trip and one MULTI/EXEC for all of them. Each
   * request still resolves only once Redis holds its job; a failed transaction fails all of
   * them, as it would have failed each alone (nothing of it is queued, or all of it is).
   */
  private readonly coalesced = new DataLoader<QueuedMessage, QueuedJob>(
    (messages) => this.enqueueMany([...messages]),
    { cache: false, maxBatchSize: COALESCE_MAX, batchScheduleFn: (flush) => setImmediate(flush) },
  );

  protected constructor(
    readonly source: MessageSource,
    queueName: string,
    private readonly env: Env,
    sources: MessageSources,
    private readonly ordering: MessageOrdering,
  ) {
    this.queue = new FailFastQueue(queueName, env);
    sources.register(this);
  }

  /** The entity keys a message of this source touches (README "Ordering"). */
  abstract unitsOf(data: TrackedJobData): EntityUnit[];

  async onModuleInit(): Promise<void> {
    await this.queue.open();
  }

  /** After the HTTP server stopped: in-flight requests could still queue their messages. */
  async onApplicationShutdown(): Promise<void> {
    await this.queue.close();
  }

  /**
   * Gives the message its acceptance sequence and order time (`occurredAt` when the source sent
   * one), then queues its job and its pending entries on its keys in one transaction. Resolves,
   * with the message as queued, once Redis holds both (BullMQ keeps the first job of an id).
   */
  enqueue(data: TrackedJobData, occurredAt?: string): Promise<QueuedJob> {
    return this.coalesced.load({ data, occurredAt });
  }

  /**
   * Several messages in one round trip: every job with its place and pending entries in one
   * transaction (all of them are queued, or none), in array order, so order inside a batch is
   * the array's.
   */
  async enqueueMany(messages: QueuedMessage[]): Promise<QueuedJob[]> {
    if (!messages.length) return [];
    const places = await this.queue.addAtomically(
      messages.map(({ data, occurredAt }) => ({
        name: data.action,
        data,
        options: trackedJobOptions(this.env, data.context.messageId),
        extra: (multi, jobKey) =>
          this.ordering.register(multi, jobKey, this.refOf(data), this.unitsOf(data), {
            occurredAt,
          }),
      })),
    );
    return messages.map(({ data }, index) => {
      const place = places[index] as [number, number] | undefined;
      // Unknown when only the transaction's outcome could be read: taken as queued by this call.
      if (!place) return { data, created: true };
      const [seq, atMs] = place;
      if (!seq) return { data, created: false };
      const order = { seq, at: new Date(atMs).toISOString() };
      return { data: { ...data, context: { ...data.context, order } }, created: true };
    });
  }

  async peek(messageId: string): Promise<TrackedJobData | undefined> {
    return (await this.queue.getJob(messageId))?.data;
  }

  async depth(): Promise<QueueDepth> {
    const { queue } = this.queue;
    const [counts, [oldest]] = await Promise.all([
      queue.getJobCounts('waiting', 'prioritized', 'delayed', 'active', 'failed', 'completed'),
      // The wait list is taken from its far end: ascending order puts the oldest first.
      queue.getJobs(['wait'], 0, 0, true),
    ]);
    return {
      queue: queue.name,
      source: this.source,
      counts,
      oldestWaitingAt: oldest ? new Date(oldest.timestamp) : null,
    };
  }

  jobState(messageId: string): Promise<string> {
    return this.queue.getState(messageId);
  }

  exclusively<R>(messageId: string, work: () => Promise<R>): Promise<R> {
    return this.queue.exclusively(messageId, RETRY_LOCK_TTL_MS, work);
  }

  /**
   * A manual retry keeps the message's original place in its keys' order, so an old absolute
   * update is superseded by the newer ones already applied rather than applied over them.
   */
  async requeue(data: TrackedJobData): Promise<void> {
    await this.queue.withConnection(async (redis) => {
      const multi = redis.multi();
      this.ordering.register(
        multi,
        this.queue.queue.toKey(data.context.messageId),
        this.refOf(data),
        this.unitsOf(data),
        {
          // Accepted before ordering existed (no place on its event): it takes its place now.
          order: data.context.order,
          force: true,
        },
      );
      const results = await multi.exec();
      const failed = results?.find(([error]) => error);
      if (!results || failed) throw failed?.[0] ?? new Error('transaction aborted');
    });
    await this.queue.requeue(
      data.action,
      data,
      trackedJobOptions(this.env, data.context.messageId),
    );
  }

  promote(messageId: string): Promise<boolean> {
    return this.queue.promote(messageId);
  }

  refOf(data: TrackedJobData): OrderedMessageRef {
    return {
      source: this.source,
      messageId: data.context.messageId,
      accountId: data.context.accountId,
    };
  }
}
