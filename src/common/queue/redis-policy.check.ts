import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Env } from '../../config/env';
import IORedis from 'ioredis';
import { createRedis, isCluster, RedisClient } from '../../config/redis';
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
      for (const node of await everyNode(redis)) {
        const where = `${node.options.host}:${node.options.port}`;
        const reply = (await node.config('GET', 'maxmemory-policy').catch((error: Error) => {
          this.logger.warn(
            `Cannot read maxmemory-policy of ${where} (${error.message}); make sure it is noeviction`,
          );
          return null;
        })) as string[] | null;
        const policy = reply?.[1];
        if (policy && policy !== 'noeviction') refused.push(`${where} has "${policy}"`);
        if (node !== redis) node.disconnect();
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

/** The client itself, or a connection of its own to each node of a cluster (replicas too). */
async function everyNode(redis: RedisClient): Promise<IORedis[]> {
  if (!isCluster(redis)) return [redis];
  const lines = String(await redis.cluster('NODES'))
    .trim()
    .split('\n');
  return lines
    .filter((line) => !/\b(fail|noaddr|handshake)\b/.test(line.split(' ')[2] ?? ''))
    .map((line) => {
      const [host, port] = line.split(' ')[1].split('@')[0].split(':');
      const options = redis.options.redisOptions ?? {};
      return new IORedis({ ...options, host, port: Number(port), maxRetriesPerRequest: 1 });
    });
}
