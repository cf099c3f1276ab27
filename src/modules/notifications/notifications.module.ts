import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { EventsModule } from '../events';
import { IntegrationsModule } from '../integrations';
import { MetricsModule } from '../metrics';
import { DeliveriesController } from './deliveries/deliveries.controller';
import { DeliveriesService } from './deliveries/deliveries.service';
import {
  NotificationDelivery,
  NotificationDeliverySchema,
} from './deliveries/notification-delivery.schema';
import {
  NotificationProcessor,
  NotificationRetentionScheduler,
} from './deliveries/notification.processor';
import { NOTIFICATIONS_QUEUE, NotificationQueue } from './deliveries/notification-queue';
import { WebhookSender } from './deliveries/webhook-sender';
import { NotifyOnOutcomeHandler } from './outcomes/notify-on-outcome.handler';
import { NotificationSettingsController } from './settings/notification-settings.controller';
import {
  NotificationSettings,
  NotificationSettingsSchema,
} from './settings/notification-settings.schema';
import { NotificationSettingsService } from './settings/notification-settings.service';

const eventHandlers = [NotifyOnOutcomeHandler];
const services = [NotificationSettingsService, DeliveriesService, NotificationQueue, WebhookSender];
const processors = [NotificationProcessor, NotificationRetentionScheduler];

/**
 * Failure notifications: per-integration settings, Standard Webhooks deliveries from a queue of
 * their own (`notifications`, processed in the worker role) and their records.
 */
@Module({})
export class NotificationsModule {
  static register(options: { worker: boolean }): DynamicModule {
    return {
      module: NotificationsModule,
      imports: [
        IntegrationsModule,
        EventsModule,
        MetricsModule,
        BullModule.registerQueue({ name: NOTIFICATIONS_QUEUE }),
        MongooseModule.forFeature([
          { name: NotificationSettings.name, schema: NotificationSettingsSchema },
          { name: NotificationDelivery.name, schema: NotificationDeliverySchema },
        ]),
      ],
      controllers: [NotificationSettingsController, DeliveriesController],
      providers: [...eventHandlers, ...services, ...(options.worker ? processors : [])],
      exports: [NotificationSettingsService],
    };
  }
}
