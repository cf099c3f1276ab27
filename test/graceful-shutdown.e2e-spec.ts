import mongoose from 'mongoose';
import { Api } from './support/api';
import { http, waitFor } from './support/http';
import { PrivateRedis } from './support/private-redis';
import { startTestService, TestService } from './support/test-service';
import { SEED_EXAMPLES } from './fixtures/seed-examples';

describe('Graceful shutdown', () => {
  let service: TestService;

  afterAll(() => service.close());

  it('lets an in-flight message finish and records its outcome before the process stops', async () => {
    service = await startTestService();
    const api = await Api.forAccount(service, 'acc-shutdown');
    const { apiKey } = await api.newCustomIntegration();
    await http(`${service.url}/sandbox/avvyr/latency`, { method: 'PUT', body: { ms: 1500 } });

    const accepted = await api.send(apiKey, SEED_EXAMPLES['inventory.set']);
    await api.waitForStatus(accepted.body.messageId, 'processing');
    await service.running.close();

    const db = await mongoose.createConnection(service.env.MONGODB_URI).asPromise();
    try {
      const event = await db
        .collection('integration_events')
        .findOne({ messageId: accepted.body.messageId });
      expect(event).toMatchObject({ status: 'succeeded', attempts: 1 });
    } finally {
      await db.close();
    }
    expect(await service.jobState('inbound', accepted.body.messageId)).toBe('completed');
  });

  it('still exits, after SHUTDOWN_GRACE_MS, when Redis is gone', async () => {
    const redis = await PrivateRedis.start();
    const stranded = await startTestService({ REDIS_URL: redis.url, SHUTDOWN_GRACE_MS: '500' });
    try {
      // Fully connected first: killing Redis mid-handshake is another story (ioredis EPIPE).
      await waitFor(
        () => http(`${stranded.url}/health/ready`),
        (r) => r.status === 200,
        { what: 'service ready' },
      );
      await redis.down();
      // Resolves (the test would time out otherwise): the worker is closed by force.
      await stranded.running.close();
    } finally {
      await redis.up();
      await stranded.close();
      await redis.stop();
    }
  });
});
