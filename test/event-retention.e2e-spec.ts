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

  const day = 24 * 3600 * 1000;
  const event = (messageId: string, ageDays: number, accountId = 'acc-retention') => ({
    messageId,
    source: 'inbound',
    integrationId: 'i',
    accountId,
    action: 'price.set',
    status: 'succeeded',
    statusRank: 3,
    attempts: 1,
    timeline: [],
    receivedAt: new Date(Date.now() - ageDays * day),
    updatedAt: new Date(),
  });

  async function runRetention(): Promise<void> {
    const queue = new Queue('maintenance', {
      connection: { url: service.env.REDIS_URL },
      prefix: queuePrefix(service.env),
    });
    try {
      await queue.add('event-retention', {});
    } finally {
      await queue.close();
    }
  }

  it('is scheduled at start-up and deletes only events older than EVENT_RETENTION_DAYS', async () => {
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
    } finally {
      await queue.close();
    }
    await runRetention();

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

  it('deletes more expired events than the local store takes in one delete (32,766)', async () => {
    const accountId = 'acc-retention-many';
    const expired = 33_000;
    const events = db.collection('integration_events');
    const skus = db.collection<{ _id: string }>('event_skus');
    for (let from = 0; from < expired; from += 1000) {
      const ids = Array.from({ length: 1000 }, (_, i) => `many-${from + i}`);
      await events.insertMany(ids.map((id) => event(id, 9, accountId)));
      await skus.insertMany(
        ids.map((id) => ({
          _id: `${id}:SKU-1`,
          accountId,
          sku: 'SKU-1',
          receivedAt: new Date(Date.now() - 9 * day),
          messageId: id,
        })),
      );
    }
    await events.insertOne(event('many-recent', 1, accountId));

    await runRetention();

    // One deleteMany over all of them failed on the local store ("too many SQL variables") and
    // deleted none, at every hourly run.
    await waitFor(
      () => events.countDocuments({ accountId }),
      (count) => count === 1,
      { what: 'every expired event to be deleted', timeoutMs: 120_000, intervalMs: 500 },
    );
    const left = await events.find({ accountId }).toArray();
    expect(left.map((doc) => doc.messageId)).toEqual(['many-recent']);
    await waitFor(
      () => skus.countDocuments({ accountId }),
      (count) => count === 0,
      { what: 'every expired event_skus row to be deleted', timeoutMs: 120_000, intervalMs: 500 },
    );
  }, 300_000);
});
