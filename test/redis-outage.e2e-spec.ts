import { Api } from './support/api';
import { fastestOf, waitFor } from './support/http';
import { PrivateRedis } from './support/private-redis';
import { startTestService, TestService } from './support/test-service';
import { SEED_EXAMPLES } from './fixtures/seed-examples';

describe('Redis outage: 503 fast, never a lost 202', () => {
  let redis: PrivateRedis;
  let service: TestService;
  let api: Api;
  let apiKey: string;

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    service = await startTestService({ REDIS_URL: redis.url });
    api = await Api.forAccount(service, 'acc-outage');
    ({ apiKey } = await api.newCustomIntegration());
  });
  afterAll(async () => {
    await redis.up().catch(() => undefined);
    await service.close();
    await redis.stop();
  });

  it('answers 503 within a second while Redis is down, and accepts again once it is back', async () => {
    const before = await api.send(apiKey, SEED_EXAMPLES['price.set']);
    expect(before.status).toBe(202);
    await api.waitForStatus(before.body.messageId, 'succeeded');

    await redis.down();
    const { ms, result: during } = await fastestOf(() =>
      api.send(apiKey, SEED_EXAMPLES['inventory.set']),
    );
    expect(during.status).toBe(503);
    expect(during.body.code).toBe('QUEUE_UNAVAILABLE');
    expect(ms).toBeLessThan(1000);

    await redis.up();
    const after = await waitFor(
      () => api.send(apiKey, SEED_EXAMPLES['inventory.set']),
      (r) => r.status === 202,
      { what: 'inbound accepting again after Redis restart' },
    );
    await api.waitForStatus(after.body.messageId, 'succeeded');
  });

  it('a Redis that hangs (SIGSTOP) also gets a 503, not a hanging request', async () => {
    redis.pause();
    try {
      const during = await api.send(apiKey, SEED_EXAMPLES['customer.upsert']);
      expect(during.status).toBe(503);
    } finally {
      redis.resume();
    }
    const after = await waitFor(
      () => api.send(apiKey, SEED_EXAMPLES['customer.upsert']),
      (r) => r.status === 202,
      { what: 'inbound accepting again after Redis resumed' },
    );
    await api.waitForStatus(after.body.messageId, 'succeeded');
  });
});
