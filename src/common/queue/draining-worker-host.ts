import { WorkerHost } from '@nestjs/bullmq';
import { BeforeApplicationShutdown, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { Job, Worker, WorkerOptions } from 'bullmq';
import type { Env } from '../../config/env';
import { backoffStrategy } from './backoff-strategy';

/** How long a forced close may take once the grace period is over. */
const FORCED_CLOSE_MS = 2000;

/**
 * The `@Processor` options of every queue processor of the service. The worker does not start
 * on its own: `onApplicationBootstrap` first applies the Env's lock and stalled-job settings.
 */
export const WORKER_OPTIONS: Partial<WorkerOptions> = {
  autorun: false,
  settings: { backoffStrategy },
};

/**
 * Base of the service's queue processors: WORKER_CONCURRENCY and the lock / stalled-job settings
 * at start, and a graceful but bounded shutdown: no new jobs, active ones get SHUTDOWN_GRACE_MS
 * to finish (their steps recorded), then the connections are dropped so a process whose Redis is
 * gone still exits. A job cut short that way is picked up again by another worker (BullMQ
 * stalled-job recovery, within about WORKER_LOCK_DURATION_MS + WORKER_STALLED_INTERVAL_MS), so
 * at-least-once holds.
 */
export abstract class DrainingWorkerHost
  extends WorkerHost
  implements OnApplicationBootstrap, BeforeApplicationShutdown
{
  private readonly hostLogger = new Logger(this.constructor.name);

  constructor(protected readonly env: Env) {
    super();
  }

  /**
   * A job BullMQ failed without running it: one stalled (its worker died while holding it) more
   * than WORKER_MAX_STALLED_COUNT times. No attempt of ours recorded its outcome, so a processor
   * of tracked messages records it here.
   */
  protected failedWithoutRunning(job: Job, reason: string): Promise<void> {
    this.hostLogger.warn({ jobId: job.id }, `Job failed without running: ${reason}`);
    return Promise.resolve();
  }

  onApplicationBootstrap(): void {
    applyWorkerSettings(this.worker, this.env);
    // Without a listener BullMQ prints every Redis connection error to the console; ioredis
    // reconnects by itself, so a warning in the service's own log is what they are worth.
    this.worker.on('error', (error: Error) =>
      this.hostLogger.warn(`Worker connection error: ${error.message}`),
    );
    this.worker.on('failed', (job: Job | undefined, error: Error) => {
      if (!job?.deferredFailure) return;
      this.failedWithoutRunning(job, error.message).catch((recordError: unknown) =>
        this.hostLogger.warn(
          { err: recordError, messageId: job.id },
          'Could not record a job failed by the stalled-job checker',
        ),
      );
    });
    if (!this.worker.isRunning()) {
      this.worker.run().catch((error: unknown) => this.worker.emit('error', error as Error));
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    // pause() waits for the active jobs without touching Redis; a plain close() would also QUIT
    // its connections, which never returns while Redis is unreachable.
    const drained = await settlesWithin(this.worker.pause(), this.env.SHUTDOWN_GRACE_MS);
    if (!drained) {
      this.hostLogger.warn(
        `Active jobs did not finish within ${this.env.SHUTDOWN_GRACE_MS} ms; closing the worker anyway`,
      );
    }
    // Force: drop the connections instead of QUIT. Later close() calls return this same promise.
    await settlesWithin(this.worker.close(true), FORCED_CLOSE_MS);
  }
}

/**
 * The Env's settings on a worker built by @nestjs/bullmq (whose options are static decorator
 * metadata), before it runs. The lock manager reads its timings when created, so it is created
 * again with them.
 */
function applyWorkerSettings(worker: Worker, env: Env): void {
  Object.assign(worker.opts, {
    lockDuration: env.WORKER_LOCK_DURATION_MS,
    lockRenewTime: env.WORKER_LOCK_DURATION_MS / 2,
    stalledInterval: env.WORKER_STALLED_INTERVAL_MS,
    maxStalledCount: env.WORKER_MAX_STALLED_COUNT,
  });
  (worker as unknown as { createLockManager(): void }).createLockManager();
  worker.concurrency = env.WORKER_CONCURRENCY;
}

/** True when `promise` settles within `ms`; the timer never keeps the process alive. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
    timer.unref();
  });
  try {
    return await Promise.race([
      promise.then(
        () => true,
        () => true,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
