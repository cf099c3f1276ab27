import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Env } from '../../config/env';
import { DomainError, ErrorCode } from '../../common/errors';
import { FailFastQueue } from '../../common/queue';
import { MessageQueueAccess, MessageSources, TrackedJobData } from '../events';
import { INBOUND_QUEUE, trackedJobOptions } from './inbound-queue';

/** Producer side of the inbound queue, and the events module's handle on it (retry, peek). */
@Injectable()
export class InboundQueueService implements MessageQueueAccess, OnModuleInit, OnModuleDestroy {
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

  async onModuleDestroy(): Promise<void> {
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
    const messageId = data.context.messageId;
    const existing = await this.queue.getJob(messageId);
    if (existing) {
      const state = await existing.getState();
      if (state === 'failed') {
        await existing.updateData(data);
        await existing.retry('failed');
        return;
      }
      if (state !== 'completed' && state !== 'unknown') {
        throw new DomainError(
          ErrorCode.EventNotRetryable,
          409,
          `Message ${messageId} is still ${state} in the queue; retry once it has failed.`,
        );
      }
      await existing.remove();
    }
    await this.enqueue(data);
  }
}
