import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { Env } from '../../config/env';
import { createRedis, RedisClient } from '../../config/redis';
import { REDIS_COMMAND_TIMEOUT_MS } from '../../common/queue';

/**
 * Pings BullMQ's Redis on a connection of its own that never queues commands offline, so a
 * readiness probe answers "down" at once rather than waiting for a reconnect.
 */
@Injectable()
export class RedisHealthIndicator implements OnModuleDestroy {
  private readonly redis: RedisClient;

  constructor(
    env: Env,
    private readonly indicator: HealthIndicatorService,
  ) {
    this.redis = createRedis(env, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
      retryStrategy: (times) => Math.min(times * 100, 1000),
    });
    // Connection errors are what the probe reports; logging each reconnect would only add noise.
    this.redis.on('error', () => undefined);
    this.redis.connect().catch(() => undefined);
  }

  async pingCheck(key: string) {
    const session = this.indicator.check(key);
    try {
      await this.redis.ping();
      return session.up();
    } catch (error) {
      return session.down({ message: (error as Error).message });
    }
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
  }
}
