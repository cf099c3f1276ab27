import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { RateLimitSpec, rateLimitWindowSeconds } from '../../../common/rate-limit';
import { closeRedis } from '../../../common/queue/close-redis';
import { Env } from '../../../config/env';
import { createRedis, RedisClient } from '../../../config/redis';

/**
 * How long a request waits on Redis for its count before the process counts it alone (the
 * insurance limiter): a slow Redis delays ingest by this much at most, before the queue's own
 * timeouts decide the answer.
 */
export const RATE_LIMIT_REDIS_TIMEOUT_MS = 250;

export interface RateLimitOutcome {
  allowed: boolean;
  /** Messages one window takes (`burst`). */
  limit: number;
  remaining: number;
  /** Seconds until the window ends. */
  resetSeconds: number;
  windowSeconds: number;
}

/**
 * Counts each integration's inbound messages in Redis (rate-limiter-flexible's RateLimiterRedis:
 * one key per integration, `<QUEUE_PREFIX>:rate-limit:<integrationId>`, one single-key script per
 * call), so every API replica shares one limit. A refused request gives its points back: it is
 * not counted. Should Redis not answer, each process counts on its own (in memory) meanwhile.
 */
@Injectable()
export class InboundRateLimiter implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(InboundRateLimiter.name);
  private readonly redis: RedisClient;
  private readonly keyPrefix: string;
  /** One limiter per distinct limit (most integrations share the default). */
  private readonly limiters = new Map<string, RateLimiterRedis>();

  constructor(private readonly env: Env) {
    this.keyPrefix = `${env.QUEUE_PREFIX}:rate-limit`;
    this.redis = createRedis(env, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: RATE_LIMIT_REDIS_TIMEOUT_MS,
      // Every request runs one script here: those of requests that arrive together go out in one
      // write (one syscall, one reply read) instead of one each.
      enableAutoPipelining: true,
      retryStrategy: (times) => Math.min(times * 100, 1000),
    });
    this.redis.on('error', () => undefined);
  }

  onApplicationBootstrap(): void {
    // Only a process that serves the inbound API counts; a worker never connects.
    if (!this.env.runsApi) return;
    this.redis.connect().catch((error: Error) => {
      this.logger.warn(`Rate limit Redis not reachable yet: ${error.message}`);
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await closeRedis(this.redis);
  }

  /** Counts `points` messages for the integration; a refused count is given back. */
  async consume(integrationId: string, spec: RateLimitSpec, points: number) {
    const limiter = this.limiterFor(spec);
    const windowSeconds = rateLimitWindowSeconds(spec);
    try {
      const res = await limiter.consume(integrationId, points);
      return outcome(true, spec.burst, res.remainingPoints, res.msBeforeNext, windowSeconds);
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      await limiter.reward(integrationId, points).catch(() => undefined);
      const remaining = Math.max(spec.burst - (error.consumedPoints - points), 0);
      return outcome(false, spec.burst, remaining, error.msBeforeNext, windowSeconds);
    }
  }

  /** The window's state without counting anything. */
  async peek(integrationId: string, spec: RateLimitSpec): Promise<RateLimitOutcome> {
    const windowSeconds = rateLimitWindowSeconds(spec);
    const res = await this.limiterFor(spec).get(integrationId);
    return res
      ? outcome(true, spec.burst, res.remainingPoints, res.msBeforeNext, windowSeconds)
      : outcome(true, spec.burst, spec.burst, windowSeconds * 1000, windowSeconds);
  }

  private limiterFor(spec: RateLimitSpec): RateLimiterRedis {
    const duration = rateLimitWindowSeconds(spec);
    const name = `${spec.burst}/${duration}`;
    let limiter = this.limiters.get(name);
    if (!limiter) {
      limiter = new RateLimiterRedis({
        storeClient: this.redis,
        keyPrefix: this.keyPrefix,
        points: spec.burst,
        duration,
        rejectIfRedisNotReady: true,
        insuranceLimiter: new RateLimiterMemory({ points: spec.burst, duration }),
      });
      this.limiters.set(name, limiter);
    }
    return limiter;
  }
}

function outcome(
  allowed: boolean,
  limit: number,
  remaining: number,
  msBeforeNext: number,
  windowSeconds: number,
): RateLimitOutcome {
  return {
    allowed,
    limit,
    remaining,
    resetSeconds: Math.max(Math.ceil(msBeforeNext / 1000), 0),
    windowSeconds,
  };
}
