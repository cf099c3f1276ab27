import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { MongooseModule } from '@nestjs/mongoose';
import { AppConfigModule } from './config/app-config.module';
import { Env } from './config/env';
import { RedisPolicyCheck } from './common/queue/redis-policy.check';
import { SharedBullConnection } from './common/queue/shared-bull-connection';
import { bullConnection, queuePrefix } from './config/redis';
import { STORE_SELECTION_TIMEOUT_MS } from './common/errors';
import { AvasamModule } from './modules/avasam';
import { AvvyrModule } from './modules/avvyr';
import { EventReplayModule, EventRetentionModule, EventsModule } from './modules/events';
import { InboundModule } from './modules/inbound';
import { IntegrationsModule } from './modules/integrations';
import { SandboxModule } from './modules/sandbox';
import { HealthModule } from './modules/health';
import { LoggingModule } from './modules/logging';
import { MetricsModule } from './modules/metrics';
import { StatsModule } from './modules/stats';
import { WorkerOpsModule } from './modules/worker-ops';
import { QueueBoardModule } from './modules/queue-board';
import { OrderingModule } from './modules/ordering';
import { NotificationsModule } from './modules/notifications';

/** The whole service; `env.ROLE` decides whether queue processors run in this process. */
@Module({})
export class AppModule {
  static forRoot(env: Env): DynamicModule {
    const connection = bullConnection(env);
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(env),
        LoggingModule.forRoot(env),
        CqrsModule.forRoot(),
        MongooseModule.forRoot(env.MONGODB_URI, {
          // A stopped store is a fast 503 STORE_UNAVAILABLE, never a request hanging on it.
          serverSelectionTimeoutMS: STORE_SELECTION_TIMEOUT_MS,
        }),
        BullModule.forRoot({ prefix: queuePrefix(env), connection }),
        OrderingModule,
        IntegrationsModule,
        EventsModule,
        AvvyrModule,
        InboundModule.register({ worker: env.runsWorker }),
        ...(env.runsWorker ? [EventRetentionModule] : []),
        EventReplayModule.register({ worker: env.runsWorker }),
        AvasamModule.register({ worker: env.runsWorker }),
        HealthModule,
        MetricsModule,
        StatsModule,
        NotificationsModule.register({ worker: env.runsWorker }),
        ...(env.runsApi ? [] : [WorkerOpsModule]),
        ...(env.sandboxEnabled && env.runsApi ? [SandboxModule] : []),
        ...(env.runsApi ? [QueueBoardModule] : []),
      ],
      providers: [
        RedisPolicyCheck,
        { provide: SharedBullConnection, useValue: new SharedBullConnection(connection) },
      ],
    };
  }
}
