import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import IORedis from 'ioredis';
import { Env } from '../../config/env';

/**
 * BullMQ jobs are the source of truth while work is in flight: a Redis that evicts keys under
 * memory pressure would silently lose accepted messages, so start-up refuses it.
 */
@Injectable()
export class RedisPolicyCheck implements OnModuleInit {
  private readonly logger = new Logger(RedisPolicyCheck.name);

  constructor(private readonly env: Env) {}

  async onModuleInit(): Promise<void> {
    const redis = new IORedis(this.env.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await redis.connect();
      const reply = (await redis.config('GET', 'maxmemory-policy').catch((error: Error) => {
        this.logger.warn(
          `Cannot read maxmemory-policy (${error.message}); make sure it is noeviction`,
        );
        return null;
      })) as string[] | null;
      const policy = reply?.[1];
      if (policy && policy !== 'noeviction') {
        throw new Error(
          `Redis maxmemory-policy is "${policy}"; it must be "noeviction" or queued messages can be lost`,
        );
      }
    } finally {
      redis.disconnect();
    }
  }
}
