import { createHash } from 'node:crypto';
import type { NotificationKind } from './notification-kinds';

/**
 * The messageId of an Avasam notification: derived from (integration, kind, requestId), so a
 * redelivery maps to the same BullMQ job id and the same IntegrationEvent, and is never queued
 * twice. UUID-shaped like every other messageId.
 */
export function notificationMessageId(
  integrationId: string,
  kind: NotificationKind,
  requestId: string,
): string {
  const hex = createHash('sha256')
    .update(`avasam\n${integrationId}\n${kind}\n${requestId}`)
    .digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
