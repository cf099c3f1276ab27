import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { REDIS_COMMAND_TIMEOUT_MS } from '../../../common/queue';
import { Env } from '../../../config/env';
import { createRedis, RedisClient } from '../../../config/redis';
import { BUCKET_TTL_SECONDS, bucketIndex, bucketKey, BucketSize } from './stats-keys';

/** Increments are sent in one pipeline this often: a busy ingest costs Redis little. */
export const FLUSH_INTERVAL_MS = 250;
/** With Redis down, increments wait for it up to this many buckets, then the oldest are dropped. */
const MAX_PENDING_KEYS = 10_000;

/**
 * The counters in Redis: HINCRBY on per-account minute and hour hashes (8-day expiry), batched in
 * memory for at most FLUSH_INTERVAL_MS. Redis, not the process, holds them, because the API
 * (which counts `received`) and the workers (which count outcomes) may be separate processes.
 */
@Injectable()
export class StatsStore implements OnApplicationShutdown {
  private readonly logger = new Logger(StatsStore.name);
  private readonly redis: RedisClient;
  private readonly prefix: string;
  private pending = new Map<string, Map<string, number>>();
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;
  private closed = false;

  constructor(env: Env) {
    this.prefix = env.QUEUE_PREFIX;
    // Fail fast like the HTTP edge's queues: a read with Redis down answers 503, never hangs.
    this.redis = createRedis(env, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
      retryStrategy: (times) => Math.min(times * 100, 1000),
    });
    this.redis.on('error', () => undefined);
  }

  /** Counts `fields` once each in the minute and hour buckets of `at`. */
  increment(accountId: string, at: number, fields: string[]): void {
    for (const size of ['m', 'h'] as BucketSize[]) {
      const key = bucketKey(this.prefix, accountId, size, bucketIndex(size, at));
      let counts = this.pending.get(key);
      if (!counts) this.pending.set(key, (counts = new Map<string, number>()));
      for (const field of fields) counts.set(field, (counts.get(field) ?? 0) + 1);
    }
    this.schedule(FLUSH_INTERVAL_MS);
  }

  private schedule(ms: number): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => void this.flush(), ms);
    this.timer.unref();
  }

  /** Sends what is pending; what Redis refused is kept for the next flush. */
  async flush(): Promise<void> {
    if (this.flushing) await this.flushing;
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    this.flushing = this.send(batch).finally(() => (this.flushing = undefined));
    await this.flushing;
  }

  /**
   * One pipeline per account: its buckets share the `{accountId}` hash tag, so on a Redis Cluster
   * each pipeline goes to one node (a pipeline may not span nodes).
   */
  private async send(batch: Map<string, Map<string, number>>): Promise<void> {
    const byAccount = new Map<string, Map<string, Map<string, number>>>();
    for (const [key, counts] of batch) {
      const tag = hashTagOf(key);
      let group = byAccount.get(tag);
      if (!group) byAccount.set(tag, (group = new Map<string, Map<string, number>>()));
      group.set(key, counts);
    }
    await Promise.all([...byAccount.values()].map((group) => this.sendGroup(group)));
  }

  private async sendGroup(batch: Map<string, Map<string, number>>): Promise<void> {
    const pipeline = this.redis.pipeline();
    for (const [key, counts] of batch) {
      for (const [field, n] of counts) pipeline.hincrby(key, field, n);
      pipeline.expire(key, BUCKET_TTL_SECONDS);
    }
    try {
      const results = (await pipeline.exec()) ?? [];
      if (results.some(([error]) => error)) throw results.find(([error]) => error)![0]!;
    } catch (error) {
      // A partly applied pipeline is counted again: a count a little high beats one lost.
      this.logger.warn(`Stats counters not written, kept for later: ${(error as Error).message}`);
      this.requeue(batch);
    }
  }

  private requeue(batch: Map<string, Map<string, number>>): void {
    for (const [key, counts] of batch) {
      if (!this.pending.has(key) && this.pending.size >= MAX_PENDING_KEYS) continue;
      const into = this.pending.get(key) ?? new Map<string, number>();
      for (const [field, n] of counts) into.set(field, (into.get(field) ?? 0) + n);
      this.pending.set(key, into);
    }
    this.schedule(1000);
  }

  /** Every field of each bucket, in the order asked; a missing bucket is empty. */
  async read(
    accountId: string,
    buckets: { size: BucketSize; index: number }[],
  ): Promise<Record<string, string>[]> {
    if (buckets.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const { size, index } of buckets) {
      pipeline.hgetall(bucketKey(this.prefix, accountId, size, index));
    }
    const results = (await pipeline.exec()) ?? [];
    return results.map(([error, value]) => {
      if (error) throw error;
      return value as Record<string, string>;
    });
  }

  /** Last of the shutdown hooks: the workers have drained, so their outcomes are counted. */
  async onApplicationShutdown(): Promise<void> {
    await this.flush().catch(() => undefined);
    this.closed = true;
    clearTimeout(this.timer);
    this.redis.disconnect();
  }
}

function hashTagOf(key: string): string {
  return /\{([^}]*)\}/.exec(key)?.[1] ?? key;
}
