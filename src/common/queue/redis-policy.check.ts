import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Env } from '../../config/env';
import { createRedis, dataNodes, RedisClient } from '../../config/redis';
import { closeRedis } from './close-redis';

/**
 * BullMQ jobs are the source of truth while work is in flight: a Redis that evicts keys under
 * memory pressure would silently lose accepted messages, so start-up refuses it. On a cluster
 * every node is asked, replicas too: a replica is the primary of tomorrow's failover.
 */
@Injectable()
export class RedisPolicyCheck implements OnModuleInit {
  private readonly logger = new Logger(RedisPolicyCheck.name);

  constructor(private readonly env: Env) {}

  async onModuleInit(): Promise<void> {
    const redis: RedisClient = createRedis(this.env, {
      lazyConnect: true,
      maxRetriesPerRequest: 1,
    });
    redis.on('error', () => undefined);
    try {
      await redis.connect();
      const refused: string[] = [];
      for (const node of dataNodes(redis, 'all')) {
        const where = `${node.options.host}:${node.options.port}`;
        const reply = (await node.config('GET', 'maxmemory-policy').catch((error: Error) => {
          this.logger.warn(
            `Cannot read maxmemory-policy of ${where} (${error.message}); make sure it is noeviction`,
          );
          return null;
        })) as string[] | null;
        const policy = reply?.[1];
        if (policy && policy !== 'noeviction') refused.push(`${where} has "${policy}"`);
      }
      if (refused.length) {
        throw new Error(
          `Redis maxmemory-policy must be "noeviction" or queued messages can be lost: ${refused.join(', ')}`,
        );
      }
    } finally {
      await closeRedis(redis);
    }
  }
}
