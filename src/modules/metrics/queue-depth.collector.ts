import { Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { Queue } from 'bullmq';
import { Gauge } from 'prom-client';
import { REDIS_COMMAND_TIMEOUT_MS } from '../../common/queue';
import { Env } from '../../config/env';
import { createRedis, queuePrefix, RedisClient } from '../../config/redis';
import { MessageOrdering } from '../ordering';
import { MetricsRegistry } from './metrics.registry';

/**
 * Reads the job counts of every BullMQ queue the service registered, on each scrape. It uses a
 * fail-fast connection of its own, so a scrape with Redis down returns quickly without them.
 */
@Injectable()
export class QueueDepthCollector implements OnApplicationBootstrap, OnModuleDestroy {
  private connection?: RedisClient;
  private queues: Queue[] = [];

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly env: Env,
    metrics: MetricsRegistry,
    ordering: MessageOrdering,
  ) {
    const counts = () => this.counts();
    const held = () => this.connection?.scard(ordering.parkedKey);
    new Gauge({
      name: 'avvyr_messages_held',
      help: 'Messages waiting behind an earlier message on one of their entity keys (README "Ordering")',
      registers: [metrics.registry],
      async collect() {
        const count = await held()?.catch(() => undefined);
        if (count !== undefined) this.set(count);
      },
    });
    new Gauge({
      name: 'avvyr_queue_jobs',
      help: 'BullMQ jobs per queue and state (depth = waiting + prioritized + delayed)',
      labelNames: ['queue', 'state'] as const,
      registers: [metrics.registry],
      // prom-client awaits this on every scrape, before it renders the gauge.
      async collect() {
        this.reset();
        for (const { queue, counts: byState } of await counts()) {
          for (const [state, count] of Object.entries(byState)) this.set({ queue, state }, count);
        }
      },
    });
  }

  onApplicationBootstrap(): void {
    const registered = new Map<string, string>();
    for (const wrapper of this.discovery.getProviders()) {
      const instance: unknown = wrapper.instance;
      if (instance instanceof Queue && instance !== null) {
        registered.set(instance.name, instance.opts.prefix ?? queuePrefix(this.env));
      }
    }
    if (!registered.size) return;
    this.connection = createRedis(this.env, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
      retryStrategy: (times) => Math.min(times * 100, 1000),
    });
    this.connection.on('error', () => undefined);
    this.queues = [...registered].map(([name, prefix]) => {
      const queue = new Queue(name, { connection: this.connection!, prefix });
      queue.on('error', () => undefined);
      return queue;
    });
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all(this.queues.map((queue) => queue.close().catch(() => undefined)));
    this.connection?.disconnect();
  }

  /** Queues whose counts could not be read (Redis down) are left out of this scrape. */
  private async counts(): Promise<{ queue: string; counts: Record<string, number> }[]> {
    const results = await Promise.allSettled(
      this.queues.map(async (queue) => ({ queue: queue.name, counts: await queue.getJobCounts() })),
    );
    return results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  }
}
