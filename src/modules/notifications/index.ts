export { NotificationsModule } from './notifications.module';
export { NotificationSettingsService } from './settings/notification-settings.service';
export { notificationSecretRef } from './settings/notification-settings.schema';
export { NOTIFICATIONS_QUEUE } from './deliveries/notification-queue';
