export { AvasamModule } from './avasam.module';
export { AVASAM_QUEUE } from './avasam-queue';
export { NOTIFICATION_KINDS } from './notifications/notification-kinds';
export type { NotificationKind } from './notifications/notification-kinds';
export { notificationMessageId } from './notifications/notification-message-id';
export { WEBHOOK_ALGORITHM } from './receive-notification/webhook-token';
export { AvasamSettingsInput } from './settings/avasam-settings.input';
export { SECRET_SETTINGS } from './settings/avasam-settings';
export { PriceUpdateItem } from './notifications/notification.body';
