import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { Counter, Gauge } from 'prom-client';
import { ProjectionWriter } from '../events';
import { MetricsRegistry } from './metrics.registry';

const WRITE_OPS = ['insert', 'update'] as const;
type WriteOp = (typeof WRITE_OPS)[number];

/**
 * How many message steps wait for their event projection write: near zero while the document
 * store keeps up, growing when it falls behind (then the events API lags the queue); and how many
 * event documents the writers have written, by insert or update.
 */
@Injectable()
export class ProjectionBacklogCollector implements OnApplicationBootstrap {
  private writers: ProjectionWriter[] = [];

  constructor(
    private readonly discovery: DiscoveryService,
    metrics: MetricsRegistry,
  ) {
    const backlog = () => this.writers.reduce((sum, writer) => sum + writer.backlog, 0);
    new Gauge({
      name: 'avvyr_projection_backlog',
      help: 'Message steps waiting for their event projection to be written',
      registers: [metrics.registry],
      collect() {
        this.set(backlog());
      },
    });
    const written = (op: WriteOp) =>
      this.writers.reduce((sum, writer) => sum + writer.written[op], 0);
    const counted: Record<WriteOp, number> = { insert: 0, update: 0 };
    new Counter({
      name: 'avvyr_projection_writes_total',
      help: 'Event documents written by the projection writer: insert (a new event, written whole) or update',
      labelNames: ['op'],
      registers: [metrics.registry],
      // The writers count for themselves; each scrape adds what they wrote since the last one.
      collect() {
        for (const op of WRITE_OPS) {
          const now = written(op);
          this.inc({ op }, now - counted[op]);
          counted[op] = now;
        }
      },
    });
  }

  onApplicationBootstrap(): void {
    this.writers = this.discovery
      .getProviders()
      .map((wrapper) => wrapper.instance as unknown)
      .filter((instance): instance is ProjectionWriter => instance instanceof ProjectionWriter);
  }
}
