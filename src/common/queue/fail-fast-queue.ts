import { Logger } from '@nestjs/common';
import { Job, JobsOptions, Queue } from 'bullmq';
import IORedis, { ChainableCommander } from 'ioredis';
import { DomainError, ErrorCode, ServiceUnavailableError } from '../errors';

/** How long an HTTP request may wait on Redis before it is answered 503. */
export const REDIS_COMMAND_TIMEOUT_MS = 800;
/**
 * After an add whose outcome is unknown (timed out, or the connection dropped once it was sent),
 * how long the queue keeps asking Redis whether the job is there before it says it cannot tell.
 */
export const QUEUE_OUTCOME_CHECK_MS = 2000;
const OUTCOME_POLL_MS = 100;

/** ioredis refused the command before sending it: Redis never saw it. */
function neverSent(error: unknown): boolean {
  return /Stream isn't writeable/.test((error as Error)?.message ?? '');
}

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

  /**
   * Resolves once Redis holds the job. A 503 QUEUE_UNAVAILABLE is only thrown when the job is
   * known not to be there; when Redis cannot tell within QUEUE_OUTCOME_CHECK_MS, the error says
   * so (QUEUE_OUTCOME_UNKNOWN).
   */
  async add(name: string, data: T, options: JobsOptions & { jobId: string }): Promise<Job<T>> {
    try {
      return (await this.queue.add(name as never, data as never, options)) as Job<T>;
    } catch (error) {
      this.logger.error(`Could not queue job ${options.jobId}: ${(error as Error).message}`);
      if (neverSent(error)) throw nothingQueued();
      return this.outcomeOf(options.jobId);
    }
  }

  /**
   * Adds jobs, each with `extra` commands, in one Redis transaction (MULTI/EXEC): all of it
   * happens or none does. `extra` receives the transaction and the job's Redis key; the result of
   * each job's first extra command is returned (undefined when only the outcome could be read).
   */
  async addAtomically(
    jobs: {
      name: string;
      data: T;
      options: JobsOptions & { jobId: string };
      extra: (multi: ChainableCommander, jobKey: string) => void;
    }[],
  ): Promise<unknown[]> {
    try {
      const client = await this.queue.client;
      const multi = (client as unknown as IORedis).multi();
      // `length` counts the transaction's own MULTI; exec's results do not.
      const queuedBefore = multi.length;
      const firstExtra: number[] = [];
      for (const { name, data, options, extra } of jobs) {
        firstExtra.push(multi.length - queuedBefore);
        extra(multi, this.queue.toKey(options.jobId));
        const job = new Job(this.queue as never, name, data, options, options.jobId);
        // Job.addJob queues BullMQ's own add script on the transaction (as its FlowProducer does).
        await job.addJob(multi as never);
      }
      const results = await multi.exec();
      const failed = results?.find(([error]) => error);
      if (!results || failed) throw failed?.[0] ?? new Error('transaction aborted');
      return firstExtra.map((index) => results[index][1]);
    } catch (error) {
      this.logger.error(
        `Could not queue job(s) ${jobs
          .map((j) => j.options.jobId)
          .join(', ')
          .slice(0, 200)}: ${(error as Error).message}`,
      );
      if (neverSent(error) || !jobs.length) throw nothingQueued();
      // One transaction: where its last job is, all of them are (their extras' results are lost).
      await this.outcomeOf(jobs[jobs.length - 1].options.jobId);
      return jobs.map(() => undefined);
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
   * The add was sent but not answered in time (Redis slow, paused or gone mid-command): it may
   * still have been applied. A read on the same connection is answered only after it, so the
   * first answer tells: the job is there (then it was queued) or it is not (then it never will
   * be). Polled until QUEUE_OUTCOME_CHECK_MS.
   */
  private async outcomeOf(jobId: string): Promise<Job<T>> {
    const deadline = Date.now() + QUEUE_OUTCOME_CHECK_MS;
    do {
      const job = await (this.queue.getJob(jobId) as Promise<Job<T> | undefined>).then(
        (found) => found ?? null,
        () => undefined,
      );
      if (job) {
        this.logger.warn(`Job ${jobId} was queued after all`);
        return job;
      }
      if (job === null) throw nothingQueued();
      await new Promise((resolve) => setTimeout(resolve, OUTCOME_POLL_MS));
    } while (Date.now() < deadline);
    throw new ServiceUnavailableError(
      ErrorCode.QueueOutcomeUnknown,
      'The message queue did not answer in time: the message may or may not have been accepted. ' +
        'Resend it with the same Idempotency-Key (a message is queued once per key); without ' +
        'one, a resend may be processed twice.',
    );
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
        // BullMQ never resets a job's stalled count: without this, a job it failed as stalled
        // too often would fail again at its next stall, however long ago the earlier ones were.
        await this.connection.hdel(this.queue.toKey(options.jobId), 'stc');
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

  /** The BullMQ state of a job (`failed`, `active`, …), `missing` when there is none. */
  async getState(jobId: string): Promise<string> {
    const job = await this.getJob(jobId);
    if (!job) return 'missing';
    try {
      return await job.getState();
    } catch {
      throw new ServiceUnavailableError(
        ErrorCode.QueueUnavailable,
        'The message queue is unavailable.',
      );
    }
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

function nothingQueued(): ServiceUnavailableError {
  return new ServiceUnavailableError(
    ErrorCode.QueueUnavailable,
    'The message queue is unavailable; nothing was accepted. Retry with backoff.',
  );
}
