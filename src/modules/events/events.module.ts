import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { IntegrationsModule } from '../integrations';
import { EventIndexes } from './event-indexes';
import { EventSku, EventSkuSchema } from './event-sku.schema';
import { IntegrationEvent, IntegrationEventSchema } from './integration-event.schema';
import { EventsController } from './query/events.controller';
import { EventsQueryService } from './query/events-query.service';
import { StatusCountsSource } from './query/status-counts';
import { MessageSources } from './retry/message-sources';
import { RetryEventHandler } from './retry/retry-event.handler';
import { MessageTimeline } from './timeline/message-timeline';
import { ProjectionWriter } from './timeline/projection-writer';
import { StalledJobRecorder } from './timeline/stalled-job';
import { TrackedJobRunner } from './timeline/tracked-job';
import { OrderedJobGate } from './queue/ordered-job-gate';
import { ReplayOutcomes } from './replay/replay-outcomes';

const commandHandlers = [RetryEventHandler];
const projections = [ProjectionWriter, MessageTimeline];
const services = [
  EventsQueryService,
  MessageSources,
  StatusCountsSource,
  TrackedJobRunner,
  OrderedJobGate,
  StalledJobRecorder,
  EventIndexes,
  ReplayOutcomes,
];

@Module({
  imports: [
    IntegrationsModule,
    MongooseModule.forFeature([
      { name: IntegrationEvent.name, schema: IntegrationEventSchema },
      { name: EventSku.name, schema: EventSkuSchema },
    ]),
  ],
  controllers: [EventsController],
  providers: [...commandHandlers, ...projections, ...services],
  exports: [
    MessageTimeline,
    MessageSources,
    StatusCountsSource,
    TrackedJobRunner,
    OrderedJobGate,
    StalledJobRecorder,
    EventsQueryService,
    ReplayOutcomes,
  ],
})
export class EventsModule {}
