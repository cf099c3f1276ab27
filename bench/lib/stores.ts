import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import mongoose from 'mongoose';

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

/** Redis as the bench sees it: memory figures and clean-up of the bench's own key prefixes. */
export class BenchRedis {
  readonly redis: IORedis;

  constructor(readonly url: string) {
    this.redis = new IORedis(url, { maxRetriesPerRequest: 3 });
  }

  async usedMemoryMb(): Promise<number> {
    const info = await this.redis.info('memory');
    return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0) / 1024 / 1024;
  }

  /** Bytes held by the keys under `prefix` (MEMORY USAGE of each), and how many keys. */
  async prefixUsage(prefix: string): Promise<{ keys: number; mb: number }> {
    let keys = 0;
    let bytes = 0;
    await this.scan(prefix, async (batch) => {
      keys += batch.length;
      const pipeline = this.redis.pipeline();
      batch.forEach((key) => pipeline.memory('USAGE', key));
      for (const [, value] of (await pipeline.exec()) ?? []) bytes += Number(value ?? 0);
    });
    return { keys, mb: bytes / 1024 / 1024 };
  }

  async deletePrefix(prefix: string): Promise<void> {
    await this.scan(prefix, async (batch) => {
      await this.redis.unlink(...batch);
    });
  }

  queue(prefix: string, name: string): Queue {
    return new Queue(name, { connection: this.redis.duplicate(), prefix });
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }

  private async scan(prefix: string, each: (keys: string[]) => Promise<void>): Promise<void> {
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length) await each(keys);
      cursor = next;
    } while (cursor !== '0');
  }
}

/** Jobs not finished yet: waiting, active, delayed, paused or prioritized. */
export async function pendingJobs(queue: Queue): Promise<number> {
  const counts = await queue.getJobCounts('wait', 'active', 'delayed', 'paused', 'prioritized');
  return Object.values(counts).reduce((a, b) => a + b, 0);
}
