import { OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { Env } from '../../../config/env';
import type { MessageSource } from '../../../common/context';
import { FailFastQueue, trackedJobOptions } from '../../../common/queue';
import type { EntityUnit, MessageOrdering, OrderedMessageRef } from '../../ordering';
import { MessageQueueAccess, MessageSources } from '../retry/message-sources';
import type { TrackedJobData } from '../timeline/tracked-job';

/**
 * Producer side of one source's queue (inbound, avasam), and the events module's handle on it
 * (manual retry, peek at a job not projected yet). Registers itself with MessageSources. Every
 * message is queued with its place in its entity keys' order (README "Ordering").
 */
export abstract class TrackedMessageQueue
  implements MessageQueueAccess, OnModuleInit, OnApplicationShutdown
{
  private readonly queue: FailFastQueue<TrackedJobData>;

  protected constructor(
    readonly source: MessageSource,
    queueName: string,
    private readonly env: Env,
    sources: MessageSources,
    private readonly ordering: MessageOrdering,
  ) {
    this.queue = new FailFastQueue(queueName, env.REDIS_URL, env.QUEUE_PREFIX);
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
  async enqueue(data: TrackedJobData, occurredAt?: string): Promise<TrackedJobData> {
    const [queued] = await this.enqueueMany([{ data, occurredAt }]);
    return queued;
  }

  /**
   * Several messages in two round trips: consecutive sequence numbers in array order (so order
   * inside a batch is the array's), then every job and pending entry in one transaction: all of
   * them are queued, or none.
   */
  async enqueueMany(
    messages: { data: TrackedJobData; occurredAt?: string }[],
  ): Promise<TrackedJobData[]> {
    if (!messages.length) return [];
    const { firstSeq, atMs } = await this.queue.withConnection((redis) =>
      this.ordering.stamp(redis, messages.length),
    );
    const acceptedAt = new Date(atMs).toISOString();
    const queued = messages.map(({ data, occurredAt }, index) => ({
      ...data,
      context: { ...data.context, order: { seq: firstSeq + index, at: occurredAt ?? acceptedAt } },
    }));
    await this.queue.addAtomically(
      queued.map((data) => ({
        name: data.action,
        data,
        options: trackedJobOptions(this.env, data.context.messageId),
        extra: (multi, jobKey) =>
          this.ordering.register(multi, jobKey, this.refOf(data), this.unitsOf(data)),
      })),
    );
    return queued;
  }

  async peek(messageId: string): Promise<TrackedJobData | undefined> {
    return (await this.queue.getJob(messageId))?.data;
  }

  jobState(messageId: string): Promise<string> {
    return this.queue.getState(messageId);
  }

  /**
   * A manual retry keeps the message's original place in its keys' order, so an old absolute
   * update is superseded by the newer ones already applied rather than applied over them.
   */
  async requeue(data: TrackedJobData): Promise<void> {
    let queued = data;
    if (!queued.context.order) {
      // Accepted before ordering existed: it takes its place now.
      const { firstSeq, atMs } = await this.queue.withConnection((r) => this.ordering.stamp(r));
      queued = {
        ...data,
        context: { ...data.context, order: { seq: firstSeq, at: new Date(atMs).toISOString() } },
      };
    }
    const ref = this.refOf(queued);
    const units = this.unitsOf(queued);
    await this.queue.withConnection(async (redis) => {
      const multi = redis.multi();
      this.ordering.register(multi, '', ref, units, true);
      await multi.exec();
    });
    await this.queue.requeue(
      queued.action,
      queued,
      trackedJobOptions(this.env, queued.context.messageId),
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
      order: data.context.order!,
    };
  }
}
