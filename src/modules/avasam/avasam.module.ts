import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module } from '@nestjs/common';
import { AvvyrModule } from '../avvyr';
import { EventsModule } from '../events';
import { IntegrationsModule } from '../integrations';
import { Acknowledger } from './apply-notification/acknowledger';
import { ApplyNotificationHandler } from './apply-notification/apply-notification.handler';
import { GuardedApplier } from './apply-notification/guarded-applier';
import { AvasamApiClient } from './avasam-api/avasam-api.client';
import { AVASAM_QUEUE } from './avasam-queue';
import { AvasamQueueService } from './avasam-queue.service';
import { AvasamProcessor } from './avasam.processor';
import { AvasamWebhookController } from './receive-notification/avasam-webhook.http.controller';
import { ReceiveNotificationHandler } from './receive-notification/receive-notification.handler';
import { AvasamSecrets } from './settings/avasam-secrets';
import { AvasamSettingsPolicy } from './settings/avasam-settings.policy';

const settings = [AvasamSettingsPolicy, AvasamSecrets];
const receiving = [ReceiveNotificationHandler, AvasamQueueService];
/** Only where jobs are processed (ROLE=worker|all). */
const applying = [ApplyNotificationHandler, GuardedApplier, Acknowledger, AvasamApiClient];
const processors = [AvasamProcessor];

@Module({})
export class AvasamModule {
  /** The worker role registers the processor and what it needs; the API role only receives. */
  static register(options: { worker: boolean }): DynamicModule {
    return {
      module: AvasamModule,
      imports: [
        IntegrationsModule,
        EventsModule,
        AvvyrModule,
        BullModule.registerQueue({ name: AVASAM_QUEUE }),
      ],
      controllers: [AvasamWebhookController],
      providers: [
        ...settings,
        ...receiving,
        ...(options.worker ? [...applying, ...processors] : []),
      ],
    };
  }
}
