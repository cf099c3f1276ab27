import { Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Env } from '../../config/env';
import { FailFastQueue, trackedJobOptions } from '../../common/queue';
import { MessageQueueAccess, MessageSources, TrackedJobData } from '../events';
import { INBOUND_QUEUE } from './inbound-queue';

/** Producer side of the inbound queue, and the events module's handle on it (retry, peek). */
@Injectable()
export class InboundQueueService
  implements MessageQueueAccess, OnModuleInit, OnApplicationShutdown
{
  readonly source = 'inbound' as const;
  private readonly queue: FailFastQueue<TrackedJobData>;

  constructor(
    private readonly env: Env,
    sources: MessageSources,
  ) {
    this.queue = new FailFastQueue(INBOUND_QUEUE, env.REDIS_URL, env.QUEUE_PREFIX);
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

  async requeue(data: TrackedJobData): Promise<void> {
    await this.queue.requeue(
      data.action,
      data,
      trackedJobOptions(this.env, data.context.messageId),
    );
  }
}
