import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { EventSku, EventSkuSchema } from '../event-sku.schema';
import { IntegrationEvent, IntegrationEventSchema } from '../integration-event.schema';
import {
  EventRetentionProcessor,
  EventRetentionScheduler,
  MAINTENANCE_QUEUE,
} from './event-retention';

/** Worker-role only: the hourly retention job of IntegrationEvents. */
@Module({
  imports: [
    BullModule.registerQueue({ name: MAINTENANCE_QUEUE }),
    MongooseModule.forFeature([
      { name: IntegrationEvent.name, schema: IntegrationEventSchema },
      { name: EventSku.name, schema: EventSkuSchema },
    ]),
  ],
  providers: [EventRetentionScheduler, EventRetentionProcessor],
})
export class EventRetentionModule {}
