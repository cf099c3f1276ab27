import { MessageStepRecorded } from '../../events';
import type { MessageStep } from '../../events';
import type { NotificationQueue } from '../deliveries/notification-queue';
import type { NotificationSettingsService } from '../settings/notification-settings.service';
import { NotifyOnOutcomeHandler } from './notify-on-outcome.handler';

const failed = {
  context: {
    messageId: 'm-1',
    correlationId: 'c-1',
    integrationId: 'int-1',
    accountId: 'acc-1',
    receivedAt: '2026-12-01T12:00:00.000Z',
  },
  source: 'inbound',
  action: 'inventory.set',
  step: 'failed',
  status: 'failed',
  run: 0,
  attempt: 1,
  totalAttempts: 1,
  at: new Date('2026-12-01T12:00:01.000Z'),
  error: { code: 'AVVYR_HTTP_422', message: 'no', httpStatus: 422, retryable: false },
} as MessageStep;

describe('NotifyOnOutcomeHandler', () => {
  const setup = (cachedTarget: () => Promise<unknown>) => {
    const enqueue = jest.fn(() => Promise.resolve(true));
    const sut = new NotifyOnOutcomeHandler(
      { cachedTarget: jest.fn(cachedTarget) } as unknown as NotificationSettingsService,
      { enqueue } as unknown as NotificationQueue,
    );
    return { sut, enqueue };
  };
  const settle = () => new Promise((resolve) => setImmediate(resolve));

  it('queues a subscribed outcome with its Standard Webhooks payload', async () => {
    const target = { accountId: 'acc-1', events: ['message.failed'] };
    const { sut, enqueue } = setup(() => Promise.resolve(target));
    sut.handle(new MessageStepRecorded(failed));
    await settle();
    expect(enqueue).toHaveBeenCalledWith(
      expect.objectContaining({
        deliveryId: 'msg_m-1_failed_0',
        payload: {
          type: 'message.failed',
          timestamp: '2026-12-01T12:00:01.000Z',
          data: expect.objectContaining({
            messageId: 'm-1',
            status: 'failed',
            error: { code: 'AVVYR_HTTP_422', message: 'no', httpStatus: 422, retryable: false },
          }),
        },
      }),
    );
  });

  it('sends nothing unsubscribed, and never throws when the settings cannot be read', async () => {
    const unsubscribed = setup(() =>
      Promise.resolve({ accountId: 'acc-1', events: ['message.succeeded'] }),
    );
    unsubscribed.sut.handle(new MessageStepRecorded(failed));
    const broken = setup(() => Promise.reject(new Error('store unreachable')));
    expect(() => broken.sut.handle(new MessageStepRecorded(failed))).not.toThrow();
    await settle();
    expect(unsubscribed.enqueue).not.toHaveBeenCalled();
    expect(broken.enqueue).not.toHaveBeenCalled();
  });
});
