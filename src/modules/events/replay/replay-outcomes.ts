import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { REDIS_COMMAND_TIMEOUT_MS } from '../../../common/queue/fail-fast-queue';
import { Env } from '../../../config/env';
import { createRedis, RedisClient } from '../../../config/redis';
import type { TrackedJobData } from '../timeline/tracked-job';

/** Outcome sets outlive their replay's job by as long as failed jobs are kept. */
const OUTCOMES_TTL_SECONDS = 14 * 24 * 3600;
const RECORD_ATTEMPTS = 5;

export type ReplayOutcome = 'succeeded' | 'failed';

/**
 * How each message a bulk replay queued ended, as two Redis sets per replay (messageIds that
 * succeeded, that failed again). Added from inside the message's job, after its outcome step:
 * a worker that dies first leaves the job to be run again, so the outcome lands; a set keeps a
 * redelivered message from counting twice. Counting the document store instead scans it.
 */
@Injectable()
export class ReplayOutcomes implements OnApplicationShutdown {
  private readonly logger = new Logger(ReplayOutcomes.name);
  private redis?: RedisClient;

  constructor(private readonly env: Env) {}

  /** Records a replayed message's outcome (a no-op for messages no replay queued). */
  async record(data: TrackedJobData, outcome: ReplayOutcome): Promise<void> {
    if (!data.replayId) return;
    const [mine, other] =
      outcome === 'succeeded' ? ['succeeded', 'failed'] : ['failed', 'succeeded'];
    const id = data.context.messageId;
    const redis = this.client();
    for (let attempt = 1; ; attempt++) {
      try {
        await redis
          .multi()
          .sadd(this.key(data.replayId, mine), id)
          .srem(this.key(data.replayId, other), id)
          .expire(this.key(data.replayId, mine), OUTCOMES_TTL_SECONDS)
          .exec();
        return;
      } catch (error) {
        // Not worth failing a message that was applied: a busy Redis gets a few more tries,
        // then the outcome goes uncounted (the event itself is right) and a warning says so.
        if (attempt >= RECORD_ATTEMPTS) {
          this.logger.warn(
            { err: error, messageId: id, replayId: data.replayId },
            'Could not record a replayed message outcome; the replay will not count it',
          );
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, attempt * 200));
      }
    }
  }

  async counts(replayId: string): Promise<{ done: number; failed: number }> {
    const redis = this.client();
    const [done, failed] = await Promise.all([
      redis.scard(this.key(replayId, 'succeeded')),
      redis.scard(this.key(replayId, 'failed')),
    ]);
    return { done, failed };
  }

  async onApplicationShutdown(): Promise<void> {
    this.redis?.disconnect();
  }

  /** The replay id is the hash tag: a replay's sets share a Redis Cluster slot. */
  private key(replayId: string, outcome: string): string {
    return `${this.env.QUEUE_PREFIX}:replay:{${replayId}}:${outcome}`;
  }

  /** Opened on first use: most processes never replay anything. Fails fast like the edges. */
  private client(): RedisClient {
    if (!this.redis) {
      this.redis = createRedis(this.env, {
        enableOfflineQueue: true,
        maxRetriesPerRequest: 1,
        commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
        retryStrategy: (times) => Math.min(times * 100, 1000),
      });
      this.redis.on('error', () => undefined);
    }
    return this.redis;
  }
}
