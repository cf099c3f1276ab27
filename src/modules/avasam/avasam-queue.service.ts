import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Env } from '../../config/env';
import { FailFastQueue, trackedJobOptions } from '../../common/queue';
import { MessageQueueAccess, MessageSources, TrackedJobData } from '../events';
import { AVASAM_QUEUE } from './avasam-queue';

/** Producer side of the Avasam queue, and the events module's handle on it (retry, peek). */
@Injectable()
export class AvasamQueueService implements MessageQueueAccess, OnModuleInit, OnModuleDestroy {
  readonly source = 'avasam' as const;
  private readonly queue: FailFastQueue<TrackedJobData>;

  constructor(
    private readonly env: Env,
    sources: MessageSources,
  ) {
    this.queue = new FailFastQueue(AVASAM_QUEUE, env.REDIS_URL, env.QUEUE_PREFIX);
    sources.register(this);
  }

  async onModuleInit(): Promise<void> {
    await this.queue.open();
  }

  async onModuleDestroy(): Promise<void> {
    await this.queue.close();
  }

  /** Resolves once Redis holds the job; a second job with the same messageId is not added. */
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
