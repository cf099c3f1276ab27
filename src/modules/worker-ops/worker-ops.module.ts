import { Module } from '@nestjs/common';
import { HealthModule } from '../health';
import { MetricsModule } from '../metrics';
import { WorkerOpsServer } from './worker-ops.server';

/** Health and metrics over HTTP for ROLE=worker (the API role serves them itself). */
@Module({
  imports: [HealthModule, MetricsModule],
  providers: [WorkerOpsServer],
})
export class WorkerOpsModule {}
