import { Logger } from '@nestjs/common';
import { Job, JobsOptions, Queue } from 'bullmq';
import type { ChainableCommander } from 'ioredis';
import { randomUUID } from 'node:crypto';
import type { Env } from '../../config/env';
import { createRedis, queuePrefix, RedisClient, writerOf } from '../../config/redis';
import { DomainError, ErrorCode, ServiceUnavailableError } from '../errors';

/** How long an HTTP request may wait on Redis before it is answered 503. */
export const REDIS_COMMAND_TIMEOUT_MS = 800;
/**
 * After an add whose outcome is unknown (timed out, or the connection dropped once it was sent),
 * how long the queue keeps asking Redis whether the job is there before it says it cannot tell.
 */
export const QUEUE_OUTCOME_CHECK_MS = 2000;
const OUTCOME_POLL_MS = 100;
/** Deletes a lock only while it still holds this holder's token. */
const RELEASE_LOCK = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

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
  readonly connection: RedisClient;
  readonly queue: Queue<T>;
  private readonly replicas: { count: number; timeoutMs: number };

  constructor(name: string, env: Env) {
    this.logger = new Logger(`FailFastQueue:${name}`);
    this.replicas = { count: env.REDIS_WAIT_REPLICAS, timeoutMs: env.REDIS_WAIT_TIMEOUT_MS };
    this.connection = createRedis(env, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
      retryStrategy: (times) => Math.min(times * 100, 1000),
    });
    this.connection.on('error', (error: Error) =>
      this.logger.warn(`Redis connection error: ${error.message}`),
    );
    this.queue = new Queue<T>(name, { connection: this.connection, prefix: queuePrefix(env) });
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
    let job: Job<T>;
    try {
      job = (await this.queue.add(name as never, data as never, options)) as Job<T>;
    } catch (error) {
      this.logger.error(`Could not queue job ${options.jobId}: ${(error as Error).message}`);
      if (neverSent(error)) throw nothingQueued();
      job = await this.outcomeOf(options.jobId);
    }
    await this.replicated(options.jobId);
    return job;
  }

  /**
   * With REDIS_WAIT_REPLICAS, resolves once that many replicas hold what this connection wrote
   * up to the job (WAIT on the primary serving its slot): a failover then cannot lose it.
   */
  private async replicated(jobId: string, unconfirmed = outcomeUnknown): Promise<void> {
    if (!this.replicas.count) return;
    const key = this.queue.toKey(jobId);
    const acknowledged = await Promise.resolve(writerOf(this.connection, key))
      .then((writer) => writer?.wait(this.replicas.count, this.replicas.timeoutMs))
      .catch((error: Error) => {
        this.logger.warn(`WAIT for job ${jobId} failed: ${error.message}`);
        return 0;
      });
    if ((acknowledged ?? 0) >= this.replicas.count) return;
    this.logger.warn(
      `Job ${jobId} reached ${acknowledged ?? 0} of ${this.replicas.count} replicas`,
    );
    throw unconfirmed();
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
    let placed: unknown[];
    try {
      const client = await this.queue.client;
      // On a cluster the whole transaction is in the queue's slot (queuePrefix's hash tag).
      const multi = (client as unknown as RedisClient).multi();
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
      placed = firstExtra.map((index) => results[index][1]);
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
      placed = jobs.map(() => undefined);
    }
    if (jobs.length) await this.replicated(jobs[jobs.length - 1].options.jobId);
    return placed;
  }

  /** Runs Redis work for a request on this queue's fail-fast connection: a 503 if Redis is down. */
  async withConnection<R>(work: (redis: RedisClient) => Promise<R>): Promise<R> {
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
    throw outcomeUnknown();
  }

  /**
   * Queues a message again under the same job id (manual retry): a failed job is retried in place
   * with the new run's data, a completed or vanished one is queued afresh, one still in flight is
   * refused with 409. Like an add, it resolves only once REDIS_WAIT_REPLICAS replicas hold it: a
   * retry answered 202 and then lost to a failover would leave its event `received` for good.
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
        await this.replicated(options.jobId, retryUnconfirmed);
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

  /**
   * Runs `work` while holding this job's retry lock, so two manual retries of one message never
   * interleave (both would see it `failed` and queue a run each). A retry already holding it is
   * answered 409; a holder that died frees it after `ttlMs`.
   */
  async exclusively<R>(jobId: string, ttlMs: number, work: () => Promise<R>): Promise<R> {
    // Under the job's key, so it shares the queue's hash slot on a Redis Cluster.
    const key = `${this.queue.toKey(jobId)}:retry-lock`;
    const token = randomUUID();
    const taken = await this.withConnection((redis) => redis.set(key, token, 'PX', ttlMs, 'NX'));
    if (taken !== 'OK') {
      throw new DomainError(
        ErrorCode.EventNotRetryable,
        409,
        `A retry of message ${jobId} is already in progress.`,
      );
    }
    try {
      return await work();
    } finally {
      // Only our own lock: one that lapsed and was taken by another retry stays.
      await this.connection
        .eval(RELEASE_LOCK, 1, key, token)
        .catch((error: Error) =>
          this.logger.warn(`Retry lock ${key} not released (it lapses): ${error.message}`),
        );
    }
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

function outcomeUnknown(): ServiceUnavailableError {
  return new ServiceUnavailableError(
    ErrorCode.QueueOutcomeUnknown,
    'The message queue did not answer in time: the message may or may not have been accepted. ' +
      'Resend it with the same Idempotency-Key (a message is queued once per key); without ' +
      'one, a resend may be processed twice.',
  );
}

function retryUnconfirmed(): ServiceUnavailableError {
  return new ServiceUnavailableError(
    ErrorCode.QueueOutcomeUnknown,
    'The message queue did not confirm the retry in time: it may or may not have been queued. ' +
      'Look at the event before retrying it again (a retry of a message already queued is ' +
      'refused with 409).',
  );
}

function nothingQueued(): ServiceUnavailableError {
  return new ServiceUnavailableError(
    ErrorCode.QueueUnavailable,
    'The message queue is unavailable; nothing was accepted. Retry with backoff.',
  );
}
