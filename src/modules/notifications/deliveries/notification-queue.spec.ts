import type { Queue } from 'bullmq';
import type { Env } from '../../../config/env';
import { MetricsRegistry } from '../../metrics';
import { DeliverJobData, ENQUEUE_TIMEOUT_MS, NotificationQueue } from './notification-queue';

const env = { NOTIFICATIONS_ATTEMPTS: 8, NOTIFICATIONS_BACKOFF_MS: 10_000 } as Env;
const data: DeliverJobData = {
  deliveryId: 'msg_m-1_failed_0',
  accountId: 'acc-1',
  integrationId: 'int-1',
  type: 'message.failed',
  messageId: 'm-1',
  payload: { type: 'message.failed' },
};

describe('NotificationQueue', () => {
  const setup = (add: () => Promise<unknown>) => {
    const metrics = new MetricsRegistry();
    const queue = { add: jest.fn(add) } as unknown as Queue<DeliverJobData>;
    return { sut: new NotificationQueue(queue, env, metrics), queue, metrics };
  };
  const failures = async (metrics: MetricsRegistry) =>
    (await metrics.registry.getSingleMetric('avvyr_notifications_enqueue_failed_total')!.get())
      .values[0]?.value ?? 0;

  it('queues a delivery under its webhook-id with the configured attempts and backoff', async () => {
    const { sut, queue } = setup(() => Promise.resolve({}));
    expect(await sut.enqueue(data)).toBe(true);
    expect(queue.add).toHaveBeenCalledWith(
      'deliver',
      data,
      expect.objectContaining({
        jobId: data.deliveryId,
        attempts: 8,
        backoff: expect.objectContaining({ delay: 10_000 }),
      }),
    );
  });

  it('never throws: a refused add is logged and counted', async () => {
    const { sut, metrics } = setup(() => Promise.reject(new Error('Connection is closed.')));
    expect(await sut.enqueue(data)).toBe(false);
    expect(await failures(metrics)).toBe(1);
  });

  it('never waits longer than ENQUEUE_TIMEOUT_MS on a Redis that does not answer', async () => {
    jest.useFakeTimers();
    try {
      const { sut, metrics } = setup(() => new Promise(() => undefined));
      const result = sut.enqueue(data);
      jest.advanceTimersByTime(ENQUEUE_TIMEOUT_MS);
      expect(await result).toBe(false);
      expect(await failures(metrics)).toBe(1);
    } finally {
      jest.useRealTimers();
    }
  });
});
