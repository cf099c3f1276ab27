import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { AvvyrModule } from '../avvyr';
import { EventsModule } from '../events';
import { IntegrationsModule } from '../integrations';
import { AcceptMessageController } from './accept-message/accept-message.http.controller';
import { AcceptMessageHandler } from './accept-message/accept-message.handler';
import { AcceptBatchController } from './accept-batch/accept-batch.http.controller';
import { AcceptBatchHandler } from './accept-batch/accept-batch.handler';
import { actionCommandHandlers } from './actions/action-registry';
import { ApiKeyGuard } from './auth/api-key.guard';
import { ApiKeyStrategy } from './auth/api-key.strategy';
import { INBOUND_QUEUE } from './inbound-queue';
import { InboundRateLimitGuard } from './rate-limit/inbound-rate-limit.guard';
import { InboundRateLimiter } from './rate-limit/inbound-rate-limiter';
import { InboundQueueService } from './inbound-queue.service';
import { InboundProcessor } from './inbound.processor';

const commandHandlers = [AcceptMessageHandler, AcceptBatchHandler, ...actionCommandHandlers];
const auth = [ApiKeyStrategy, ApiKeyGuard, InboundRateLimitGuard, InboundRateLimiter];

@Module({})
export class InboundModule {
  /** The worker role registers the processor; the API role only produces. */
  static register(options: { worker: boolean }): DynamicModule {
    return {
      module: InboundModule,
      imports: [
        PassportModule,
        IntegrationsModule,
        EventsModule,
        AvvyrModule,
        BullModule.registerQueue({ name: INBOUND_QUEUE }),
      ],
      controllers: [AcceptMessageController, AcceptBatchController],
      providers: [
        ...commandHandlers,
        ...auth,
        InboundQueueService,
        ...(options.worker ? [InboundProcessor] : []),
      ],
      exports: [InboundQueueService],
    };
  }
}
