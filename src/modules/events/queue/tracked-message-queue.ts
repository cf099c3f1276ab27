import { OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { Env } from '../../../config/env';
import type { MessageSource } from '../../../common/context';
import { FailFastQueue, trackedJobOptions } from '../../../common/queue';
import { MessageQueueAccess, MessageSources, QueueDepth } from '../retry/message-sources';
import type { TrackedJobData } from '../timeline/tracked-job';

/**
 * Producer side of one source's queue (inbound, avasam), and the events module's handle on it
 * (manual retry, peek at a job not projected yet). Registers itself with MessageSources.
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
  ) {
    this.queue = new FailFastQueue(queueName, env.REDIS_URL, env.QUEUE_PREFIX);
    sources.register(this);
  }

  async onModuleInit(): Promise<void> {
    await this.queue.open();
  }

  /** After the HTTP server stopped: in-flight requests could still queue their messages. */
  async onApplicationShutdown(): Promise<void> {
    await this.queue.close();
  }

  /** Resolves once Redis holds the job (BullMQ keeps the first job of a given id). */
  async enqueue(data: TrackedJobData): Promise<void> {
    await this.queue.add(data.action, data, trackedJobOptions(this.env, data.context.messageId));
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

  async requeue(data: TrackedJobData): Promise<void> {
    await this.queue.requeue(
      data.action,
      data,
      trackedJobOptions(this.env, data.context.messageId),
    );
  }
}
