import type { MessageStep } from '../events';
import { messageDeliveryId, notificationTypeOf } from './notification-types';

const step = (fields: Partial<MessageStep>) => ({ step: 'x', ...fields }) as MessageStep;

describe('notificationTypeOf', () => {
  it('maps the terminal statuses and the superseded step, nothing else', () => {
    expect(notificationTypeOf(step({ step: 'failed', status: 'failed' }))).toBe('message.failed');
    expect(notificationTypeOf(step({ step: 'succeeded', status: 'succeeded' }))).toBe(
      'message.succeeded',
    );
    expect(notificationTypeOf(step({ step: 'superseded' }))).toBe('message.superseded');
    for (const status of ['received', 'processing', 'retrying'] as const)
      expect(notificationTypeOf(step({ step: status, status }))).toBeUndefined();
    expect(notificationTypeOf(step({ step: 'applied' }))).toBeUndefined();
  });

  it('gives one webhook-id per message, type and run', () => {
    const sut = messageDeliveryId;
    expect(sut('m-1', 'message.failed', 0)).toBe('msg_m-1_failed_0');
    expect(sut('m-1', 'message.failed', 1)).not.toBe(sut('m-1', 'message.failed', 0));
    expect(sut('m-1', 'message.succeeded', 0)).not.toBe(sut('m-1', 'message.failed', 0));
  });
});
