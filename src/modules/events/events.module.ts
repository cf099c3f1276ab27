import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { IntegrationsModule } from '../integrations';
import { EventIndexes } from './event-indexes';
import { EventSku, EventSkuSchema } from './event-sku.schema';
import { IntegrationEvent, IntegrationEventSchema } from './integration-event.schema';
import { EventsController } from './query/events.controller';
import { EventsQueryService } from './query/events-query.service';
import { MessageSources } from './retry/message-sources';
import { RetryEventHandler } from './retry/retry-event.handler';
import { MessageTimeline } from './timeline/message-timeline';
import { ProjectionWriter } from './timeline/projection-writer';
import { TrackedJobRunner } from './timeline/tracked-job';

const commandHandlers = [RetryEventHandler];
const projections = [ProjectionWriter, MessageTimeline];
const services = [EventsQueryService, MessageSources, TrackedJobRunner, EventIndexes];

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
  exports: [MessageTimeline, MessageSources, TrackedJobRunner, EventsQueryService],
})
export class EventsModule {}
