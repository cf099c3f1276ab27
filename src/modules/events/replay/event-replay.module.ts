import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { IntegrationsModule } from '../../integrations';
import { EventsModule } from '../events.module';
import { IntegrationEvent, IntegrationEventSchema } from '../integration-event.schema';
import { EventReplayController } from './event-replay.controller';
import { EventReplay, EventReplaySchema } from './event-replay.schema';
import { EventReplayProcessor } from './event-replay.processor';
import { EventReplayService } from './event-replay.service';
import { REPLAY_QUEUE } from './replay-queue';
import { ReplayRunner } from './replay-runner';

/** Bulk replay of events: the API starts, reads and cancels; the worker role runs the jobs. */
@Module({})
export class EventReplayModule {
  static register(options: { worker: boolean }): DynamicModule {
    return {
      module: EventReplayModule,
      imports: [
        IntegrationsModule,
        EventsModule,
        MongooseModule.forFeature([
          { name: EventReplay.name, schema: EventReplaySchema },
          { name: IntegrationEvent.name, schema: IntegrationEventSchema },
        ]),
        ...(options.worker ? [BullModule.registerQueue({ name: REPLAY_QUEUE })] : []),
      ],
      controllers: [EventReplayController],
      providers: [
        EventReplayService,
        ...(options.worker ? [ReplayRunner, EventReplayProcessor] : []),
      ],
    };
  }
}
