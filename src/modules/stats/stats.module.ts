import { Module } from '@nestjs/common';
import { EventsModule } from '../events';
import { IntegrationsModule } from '../integrations';
import { CountStepsHandler } from './counters/count-steps.handler';
import { StatsStore } from './counters/stats-store';
import { StatsController } from './query/stats.controller';
import { StatsQueryService } from './query/stats-query.service';

const eventHandlers = [CountStepsHandler];
const services = [StatsStore, StatsQueryService];

/**
 * Per-account counters of what messages did (kept in Redis by minute and hour, by whichever
 * process recorded the step) and the overview endpoint that reads them, with the queues' depth.
 */
@Module({
  imports: [IntegrationsModule, EventsModule],
  controllers: [StatsController],
  providers: [...eventHandlers, ...services],
})
export class StatsModule {}
