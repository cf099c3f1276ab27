import { OnApplicationShutdown } from '@nestjs/common';
import { Cluster, RedisOptions } from 'ioredis';
import { closeRedis } from './close-redis';

/**
 * On a Redis Cluster, BullMQ's queues and workers share one Cluster client that the service
 * made (BullMQ does not build a Cluster from options); it is closed last, after the workers.
 */
export class SharedBullConnection implements OnApplicationShutdown {
  constructor(private readonly connection: RedisOptions | Cluster) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.connection instanceof Cluster) await closeRedis(this.connection);
  }
}
