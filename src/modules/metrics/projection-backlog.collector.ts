import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { Gauge } from 'prom-client';
import { ProjectionWriter } from '../events';
import { MetricsRegistry } from './metrics.registry';

/**
 * How many message steps wait for their event projection write: near zero while the document
 * store keeps up, growing when it falls behind (then the events API lags the queue).
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
  }

  onApplicationBootstrap(): void {
    this.writers = this.discovery
      .getProviders()
      .map((wrapper) => wrapper.instance as unknown)
      .filter((instance): instance is ProjectionWriter => instance instanceof ProjectionWriter);
  }
}
