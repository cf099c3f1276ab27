import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import IORedis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { Env } from '../../../config/env';
import { closeRedis } from '../../../common/queue';

const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0`;
const POLL_MS = 25;

/** Another notification of the same integration held the lock for too long: try again later. */
export class ApplyBusyError extends Error {
  readonly code = 'AVASAM_APPLY_BUSY';
}

/**
 * One notification of a kind at a time per integration while it reads the watermarks, calls the
 * backend and advances them. Without it, two workers could both find a SKU fresh and the older
 * change could land last. A Redis key with an owner token and an expiry (a crashed worker's lock
 * frees itself), released only by its owner.
 */
@Injectable()
export class ApplyLock implements OnModuleDestroy {
  private readonly logger = new Logger(ApplyLock.name);
  private readonly redis: IORedis;
  private readonly prefix: string;
  /** Outlives a backend call (headers + body timeouts) so the lock never lapses mid-call. */
  readonly ttlMs: number;

  constructor(env: Env) {
    this.redis = new IORedis(env.REDIS_URL, { maxRetriesPerRequest: 3 });
    this.redis.on('error', (error: Error) =>
      this.logger.warn(`Redis connection error: ${error.message}`),
    );
    this.prefix = `${env.QUEUE_PREFIX}:avasam-apply-lock:`;
    this.ttlMs = env.AVVYR_TIMEOUT_MS * 3;
  }

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const lockKey = this.prefix + key;
    const owner = randomUUID();
    const deadline = Date.now() + this.ttlMs;
    while ((await this.redis.set(lockKey, owner, 'PX', this.ttlMs, 'NX')) !== 'OK') {
      if (Date.now() > deadline) {
        throw new ApplyBusyError(`Another notification is still being applied (${key})`);
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS + Math.random() * POLL_MS));
    }
    try {
      return await work();
    } finally {
      await this.redis.eval(RELEASE, 1, lockKey, owner).catch((error: Error) =>
        // It expires by itself; the next caller waits at most ttlMs.
        this.logger.warn(`Could not release ${lockKey}: ${error.message}`),
      );
    }
  }

  async onModuleDestroy(): Promise<void> {
    await closeRedis(this.redis);
  }
}
