import { MessageStatus } from '../events';
import type { MessageStep } from '../events';

/** What an integration can subscribe to; `message.test` is only sent by the test route. */
export const NotificationType = {
  MessageFailed: 'message.failed',
  MessageSucceeded: 'message.succeeded',
  MessageSuperseded: 'message.superseded',
  MessageTest: 'message.test',
} as const;
export type NotificationType = (typeof NotificationType)[keyof typeof NotificationType];

export const SUBSCRIBABLE_TYPES = [
  NotificationType.MessageFailed,
  NotificationType.MessageSucceeded,
  NotificationType.MessageSuperseded,
] as const;
export type SubscribableType = (typeof SUBSCRIBABLE_TYPES)[number];

/**
 * The notification a recorded step stands for: the terminal statuses, and the `superseded` step
 * (not a status: values a newer message had already applied were left out; the message goes on).
 */
export function notificationTypeOf(step: MessageStep): SubscribableType | undefined {
  if (step.status === MessageStatus.Failed) return NotificationType.MessageFailed;
  if (step.status === MessageStatus.Succeeded) return NotificationType.MessageSucceeded;
  if (step.step === 'superseded') return NotificationType.MessageSuperseded;
  return undefined;
}

/**
 * The `webhook-id` (and BullMQ job id, and delivery id) of a message's notification: stable per
 * message, type and run, so a step recorded twice (a redelivered job) is queued and listed once
 * and a receiver can dedupe on it, while a manual retry's new outcome is a new notification.
 */
export function messageDeliveryId(messageId: string, type: SubscribableType, run: number): string {
  return `msg_${messageId}_${type.slice('message.'.length)}_${run}`;
}
