import { Queue } from 'bullmq';
import { Cluster } from 'ioredis';
import mongoose from 'mongoose';
import { createRedis, dataNodes, queuePrefix, RedisClient } from '../../src/config/redis';

/** Drops the bench's own database (never a shared one: the name is chosen by the bench). */
export async function dropDatabase(uri: string): Promise<void> {
  const connection = await mongoose.createConnection(uri).asPromise();
  try {
    await connection.dropDatabase();
  } finally {
    await connection.close();
  }
}

export async function withMongo<T>(
  uri: string,
  use: (db: mongoose.mongo.Db) => Promise<T>,
): Promise<T> {
  const connection = await mongoose.createConnection(uri).asPromise();
  try {
    return await use(connection.db!);
  } finally {
    await connection.close();
  }
}

/**
 * Redis as the bench sees it: memory figures and clean-up of the bench's own key prefixes, on one
 * node or on every primary of a cluster (REDIS_CLUSTER_NODES, `--redis=cluster`).
 */
export class BenchRedis {
  readonly redis: RedisClient;

  constructor(
    readonly url: string,
    clusterNodes?: string,
  ) {
    this.redis = createRedis(
      { REDIS_URL: url, REDIS_CLUSTER_NODES: clusterNodes },
      { maxRetriesPerRequest: 3 },
    );
  }

  async usedMemoryMb(): Promise<number> {
    let bytes = 0;
    for (const node of await this.primaries()) {
      bytes += Number(/used_memory:(\d+)/.exec(await node.info('memory'))?.[1] ?? 0);
    }
    return bytes / 1024 / 1024;
  }

  /** Bytes held by the keys under `prefix` (MEMORY USAGE of each), and how many keys. */
  async prefixUsage(prefix: string): Promise<{ keys: number; mb: number }> {
    let keys = 0;
    let bytes = 0;
    await this.scan(prefix, async (node, batch) => {
      keys += batch.length;
      const pipeline = node.pipeline();
      batch.forEach((key) => pipeline.memory('USAGE', key));
      for (const [, value] of (await pipeline.exec()) ?? []) bytes += Number(value ?? 0);
    });
    return { keys, mb: bytes / 1024 / 1024 };
  }

  async deletePrefix(prefix: string): Promise<void> {
    await this.scan(prefix, async (node, batch) => {
      // One key per UNLINK: a cluster node refuses several keys of different slots at once.
      const pipeline = node.pipeline();
      batch.forEach((key) => pipeline.unlink(key));
      await pipeline.exec();
    });
  }

  /** A service's (or baseline's) queue: their BullMQ prefixes carry the hash tag. */
  queue(prefix: string, name: string): Queue {
    return new Queue(name, {
      connection: this.redis.duplicate(),
      prefix: queuePrefix({ QUEUE_PREFIX: prefix }),
    });
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }

  private async primaries() {
    if (this.redis instanceof Cluster && this.redis.status !== 'ready') {
      await new Promise((resolve) => this.redis.once('ready', resolve));
    }
    return dataNodes(this.redis);
  }

  private async scan(
    prefix: string,
    each: (
      node: Awaited<ReturnType<BenchRedis['primaries']>>[number],
      keys: string[],
    ) => Promise<void>,
  ): Promise<void> {
    for (const node of await this.primaries()) {
      let cursor = '0';
      do {
        const [next, keys] = await node.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
        if (keys.length) await each(node, keys);
        cursor = next;
      } while (cursor !== '0');
    }
  }
}

/** Jobs not finished yet: waiting, active, delayed, paused or prioritized. */
export async function pendingJobs(queue: Queue): Promise<number> {
  const counts = await queue.getJobCounts('wait', 'active', 'delayed', 'paused', 'prioritized');
  return Object.values(counts).reduce((a, b) => a + b, 0);
}
