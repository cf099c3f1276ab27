import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { HttpMetricsHook } from './http-metrics.hook';
import { MessageMetricsHandler } from './message-metrics.handler';
import { MetricsController } from './metrics.controller';
import { MetricsRegistry } from './metrics.registry';
import { ReplayMetricsHandler } from './replay-metrics.handler';
import { ProjectionBacklogCollector } from './projection-backlog.collector';
import { QueueDepthCollector } from './queue-depth.collector';
import { RateLimitMetricsHandler } from './rate-limit-metrics.handler';

const eventHandlers = [MessageMetricsHandler, ReplayMetricsHandler, RateLimitMetricsHandler];
const collectors = [HttpMetricsHook, QueueDepthCollector, ProjectionBacklogCollector];

/** Prometheus metrics at /metrics (prom-client), on a registry of this instance's own. */
@Module({
  imports: [DiscoveryModule],
  controllers: [MetricsController],
  providers: [MetricsRegistry, ...eventHandlers, ...collectors],
  exports: [MetricsRegistry],
})
export class MetricsModule {}
