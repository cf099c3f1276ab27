import { Logger } from '@nestjs/common';
import { Job, JobsOptions, Queue } from 'bullmq';
import IORedis, { ChainableCommander } from 'ioredis';
import { DomainError, ErrorCode, ServiceUnavailableError } from '../errors';

/** How long an HTTP request may wait on Redis before it is answered 503. */
export const REDIS_COMMAND_TIMEOUT_MS = 800;

/**
 * A BullMQ producer for HTTP edges: its Redis connection has no offline queue and a command
 * timeout, so with Redis down a request gets a 503 within a second instead of hanging, and a
 * 202 is only ever sent after Redis acknowledged the job.
 */
export class FailFastQueue<T> {
  private readonly logger: Logger;
  readonly connection: IORedis;
  readonly queue: Queue<T>;

  constructor(name: string, redisUrl: string, prefix: string) {
    this.logger = new Logger(`FailFastQueue:${name}`);
    this.connection = new IORedis(redisUrl, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
      retryStrategy: (times) => Math.min(times * 100, 1000),
    });
    this.connection.on('error', (error: Error) =>
      this.logger.warn(`Redis connection error: ${error.message}`),
    );
    this.queue = new Queue<T>(name, { connection: this.connection, prefix });
    this.queue.on('error', (error: Error) => this.logger.warn(`Queue error: ${error.message}`));
  }

  async open(): Promise<void> {
    await this.queue.waitUntilReady();
  }

  async close(): Promise<void> {
    await this.queue.close();
    this.connection.disconnect();
  }

  async add(name: string, data: T, options: JobsOptions): Promise<Job<T>> {
    try {
      return (await this.queue.add(name as never, data as never, options)) as Job<T>;
    } catch (error) {
      this.logger.error(`Could not queue job ${options.jobId}: ${(error as Error).message}`);
      throw new ServiceUnavailableError(
        ErrorCode.QueueUnavailable,
        'The message queue is unavailable; nothing was accepted. Retry with backoff.',
      );
    }
  }

  /**
   * Adds jobs, each with `extra` commands, in one Redis transaction (MULTI/EXEC): all of it
   * happens or none does. `extra` receives the transaction and the job's Redis key.
   */
  async addAtomically(
    jobs: {
      name: string;
      data: T;
      options: JobsOptions & { jobId: string };
      extra: (multi: ChainableCommander, jobKey: string) => void;
    }[],
  ): Promise<void> {
    try {
      const client = await this.queue.client;
      const multi = (client as unknown as IORedis).multi();
      for (const { name, data, options, extra } of jobs) {
        extra(multi, this.queue.toKey(options.jobId));
        const job = new Job(this.queue as never, name, data, options, options.jobId);
        // Job.addJob queues BullMQ's own add script on the transaction (as its FlowProducer does).
        await job.addJob(multi as never);
      }
      const results = await multi.exec();
      const failed = results?.find(([error]) => error);
      if (!results || failed) throw failed?.[0] ?? new Error('transaction aborted');
    } catch (error) {
      this.logger.error(
        `Could not queue job(s) ${jobs
          .map((j) => j.options.jobId)
          .join(', ')
          .slice(0, 200)}: ${(error as Error).message}`,
      );
      throw new ServiceUnavailableError(
        ErrorCode.QueueUnavailable,
        'The message queue is unavailable; nothing was accepted. Retry with backoff.',
      );
    }
  }

  /** Runs Redis work for a request on this queue's fail-fast connection: a 503 if Redis is down. */
  async withConnection<R>(work: (redis: IORedis) => Promise<R>): Promise<R> {
    try {
      return await work(this.connection);
    } catch (error) {
      this.logger.error(`Redis call failed: ${(error as Error).message}`);
      throw new ServiceUnavailableError(
        ErrorCode.QueueUnavailable,
        'The message queue is unavailable; nothing was accepted. Retry with backoff.',
      );
    }
  }

  /** BullMQ state of a job (`missing` when there is none). */
  async state(jobId: string): Promise<string> {
    const job = await this.queue.getJob(jobId);
    return job ? await job.getState() : 'missing';
  }

  /** Moves a delayed job to waiting now; false when it is not delayed (any more). */
  async promote(jobId: string): Promise<boolean> {
    const job = await this.queue.getJob(jobId);
    if (!job) return false;
    try {
      await job.promote();
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Queues a message again under the same job id (manual retry): a failed job is retried in place
   * with the new run's data, a completed or vanished one is queued afresh, one still in flight is
   * refused with 409.
   */
  async requeue(name: string, data: T, options: JobsOptions & { jobId: string }): Promise<void> {
    const existing = await this.getJob(options.jobId);
    if (existing) {
      const state = await existing.getState();
      if (state === 'failed') {
        await existing.updateData(data);
        // A new run counts its attempts from 1 (earlier runs are in the data) with a full budget.
        await existing.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
        return;
      }
      if (state !== 'completed' && state !== 'unknown') {
        throw new DomainError(
          ErrorCode.EventNotRetryable,
          409,
          `Message ${options.jobId} is still ${state} in the queue; retry once it has failed.`,
        );
      }
      await existing.remove();
    }
    await this.add(name, data, options);
  }

  async getJob(jobId: string): Promise<Job<T> | undefined> {
    try {
      return (await this.queue.getJob(jobId)) as Job<T> | undefined;
    } catch {
      throw new ServiceUnavailableError(
        ErrorCode.QueueUnavailable,
        'The message queue is unavailable.',
      );
    }
  }
}
