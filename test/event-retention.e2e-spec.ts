import { Queue } from 'bullmq';
import mongoose from 'mongoose';
import { waitFor } from './support/http';
import { startTestService, TestService } from './support/test-service';
import { queuePrefix } from '../src/config/redis';

describe('Event retention job', () => {
  let service: TestService;
  let db: mongoose.Connection;

  beforeAll(async () => {
    service = await startTestService({ EVENT_RETENTION_DAYS: '7' });
    db = await mongoose.createConnection(service.env.MONGODB_URI).asPromise();
  });
  afterAll(async () => {
    await db.close();
    await service.close();
  });

  it('is scheduled at start-up and deletes only events older than EVENT_RETENTION_DAYS', async () => {
    const day = 24 * 3600 * 1000;
    const event = (messageId: string, ageDays: number) => ({
      messageId,
      source: 'inbound',
      integrationId: 'i',
      accountId: 'acc-retention',
      action: 'price.set',
      status: 'succeeded',
      statusRank: 3,
      attempts: 1,
      timeline: [],
      receivedAt: new Date(Date.now() - ageDays * day),
      updatedAt: new Date(),
    });
    await db.collection('integration_events').insertMany([event('old', 8), event('recent', 6)]);
    const skuRow = (messageId: string, ageDays: number) => ({
      _id: `${messageId}:SKU-1`,
      accountId: 'acc-retention',
      sku: 'SKU-1',
      receivedAt: new Date(Date.now() - ageDays * day),
      messageId,
    });
    await db
      .collection<{ _id: string }>('event_skus')
      .insertMany([skuRow('old', 8), skuRow('recent', 6)]);

    const queue = new Queue('maintenance', {
      connection: { url: service.env.REDIS_URL },
      prefix: queuePrefix(service.env),
    });
    try {
      const schedulers = await queue.getJobSchedulers();
      expect(schedulers.map((s) => s.key)).toContain('event-retention');
      await queue.add('event-retention', {});
    } finally {
      await queue.close();
    }

    const left = await waitFor(
      () => db.collection('integration_events').find({ accountId: 'acc-retention' }).toArray(),
      (docs) => docs.length === 1,
      { what: 'the old event to be deleted' },
    );
    expect(left[0].messageId).toBe('recent');
    // The SKU rows go with their events.
    const skus = await waitFor(
      () => db.collection('event_skus').find({ accountId: 'acc-retention' }).toArray(),
      (docs) => docs.length === 1,
      { what: 'the old event_skus row to be deleted' },
    );
    expect(skus[0].messageId).toBe('recent');
  });
});
