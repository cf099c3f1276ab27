import { WorkerHost } from '@nestjs/bullmq';
import { BeforeApplicationShutdown, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { Env } from '../../config/env';

/** How long a forced close may take once the grace period is over. */
const FORCED_CLOSE_MS = 2000;

/**
 * Base of the service's queue processors: WORKER_CONCURRENCY at start, and a graceful but
 * bounded shutdown: no new jobs, active ones get SHUTDOWN_GRACE_MS to finish (their steps
 * recorded), then the connections are dropped so a process whose Redis is gone still exits. A
 * job cut short that way is picked up again by another worker (BullMQ stalled-job recovery), so
 * at-least-once holds.
 */
export abstract class DrainingWorkerHost
  extends WorkerHost
  implements OnApplicationBootstrap, BeforeApplicationShutdown
{
  private readonly shutdownLogger = new Logger(this.constructor.name);

  constructor(protected readonly env: Env) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.env.WORKER_CONCURRENCY;
  }

  async beforeApplicationShutdown(): Promise<void> {
    // pause() waits for the active jobs without touching Redis; a plain close() would also QUIT
    // its connections, which never returns while Redis is unreachable.
    const drained = await settlesWithin(this.worker.pause(), this.env.SHUTDOWN_GRACE_MS);
    if (!drained) {
      this.shutdownLogger.warn(
        `Active jobs did not finish within ${this.env.SHUTDOWN_GRACE_MS} ms; closing the worker anyway`,
      );
    }
    // Force: drop the connections instead of QUIT. Later close() calls return this same promise.
    await settlesWithin(this.worker.close(true), FORCED_CLOSE_MS);
  }
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
