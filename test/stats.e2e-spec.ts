import IORedis from 'ioredis';
import { Api } from './support/api';
import { http, waitFor } from './support/http';
import { startTestService, TestService } from './support/test-service';
import { SEED_EXAMPLES } from './fixtures/seed-examples';

describe('Event statistics: GET /v1/integrations/events/stats', () => {
  let service: TestService;
  let api: Api;
  let other: Api;
  let integrationId: string;

  beforeAll(async () => {
    service = await startTestService();
    api = await Api.forAccount(service, 'acc-stats');
    other = await Api.forAccount(service, 'acc-stats-other');
    const { id, apiKey } = await api.newCustomIntegration();
    integrationId = id;
    // Two permanent failures (422), then three successes.
    await api.injectFault({ action: 'inventory.set', status: 422, times: 2 });
    const failed = [];
    for (let i = 0; i < 2; i++) {
      failed.push((await api.send(apiKey, SEED_EXAMPLES['inventory.set'])).body.messageId);
    }
    await Promise.all(failed.map((m: string) => api.waitForStatus(m, 'failed')));
    const succeeded = [];
    for (let i = 0; i < 3; i++) {
      succeeded.push((await api.send(apiKey, SEED_EXAMPLES['price.set'])).body.messageId);
    }
    await Promise.all(succeeded.map((m: string) => api.waitForStatus(m, 'succeeded')));
    const otherKey = (await other.newCustomIntegration()).apiKey;
    const otherMessage = (await other.send(otherKey, SEED_EXAMPLES['price.set'])).body.messageId;
    await other.waitForStatus(otherMessage, 'succeeded');
  });
  afterAll(() => service.close());

  const stats = (who: Api, query = 'window=1h') =>
    http(`${service.url}/v1/integrations/events/stats?${query}`, { token: who.managementToken });

  /** Counters are written in batches a fraction of a second apart: wait for them to land. */
  const statsOnce = (who: Api, done: (body: any) => boolean, query?: string) =>
    waitFor(
      () => stats(who, query),
      (r) => r.status === 200 && done(r.body),
      { what: 'the counters to be written' },
    ).then((r) => r.body);

  it('counts received, succeeded and failed messages of the account, with the error codes', async () => {
    const body = await statsOnce(api, (b) => b.totals.succeeded === 3 && b.totals.failed === 2);
    expect(body.window).toBe('1h');
    expect(body.totals).toMatchObject({ received: 5, succeeded: 3, failed: 2, retried: 0 });
    expect(body.failureRate).toBeCloseTo(0.4);
    expect(body.topErrors).toEqual([
      { code: 'AVVYR_HTTP_422', count: 2, actions: ['inventory.set'] },
    ]);

    // Per point, by source and action: 60 one-minute points summing to the totals.
    expect(body.series.stepSeconds).toBe(60);
    expect(body.series.time).toHaveLength(60);
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    const groups = Object.fromEntries(body.series.groups.map((g: any) => [g.action, g]));
    expect(Object.keys(groups).sort()).toEqual(['inventory.set', 'price.set']);
    expect(groups['inventory.set']).toMatchObject({ source: 'inbound' });
    expect(sum(groups['inventory.set'].received)).toBe(2);
    expect(sum(groups['inventory.set'].failed)).toBe(2);
    expect(sum(groups['price.set'].succeeded)).toBe(3);
    expect(groups['price.set'].received).toHaveLength(60);

    // The service's queues, with their depth and oldest waiting job (none: all processed).
    const inbound = body.queues.find((q: any) => q.queue === 'inbound');
    expect(inbound).toMatchObject({ source: 'inbound', depth: 0, oldestWaitingAt: null });
    expect(inbound.counts.failed).toBeGreaterThanOrEqual(2);
  });

  it('is scoped to the token account, and to an integration when asked', async () => {
    const body = await statsOnce(other, (b) => b.totals.succeeded === 1);
    expect(body.totals).toMatchObject({ received: 1, succeeded: 1, failed: 0 });
    expect(body.topErrors).toEqual([]);

    const none = await stats(api, `window=24h&integrationId=not-${integrationId}`);
    expect(none.body.totals).toMatchObject({ received: 0, succeeded: 0, failed: 0 });
    const mine = await stats(api, `window=7d&integrationId=${integrationId}`);
    expect(mine.body.totals).toMatchObject({ received: 5, succeeded: 3, failed: 2 });
    expect(mine.body.series).toMatchObject({ stepSeconds: 3600 });
    expect(mine.body.series.time).toHaveLength(168);
  });

  it('keeps the counters in per-account hash-tagged minute and hour buckets that expire', async () => {
    const redis = new IORedis(service.env.REDIS_URL);
    try {
      const keys = await redis.keys(`${service.env.QUEUE_PREFIX}:stats:*`);
      expect(
        keys.some((k) => k.startsWith(`${service.env.QUEUE_PREFIX}:stats:{acc-stats}:m:`)),
      ).toBe(true);
      expect(
        keys.some((k) => k.startsWith(`${service.env.QUEUE_PREFIX}:stats:{acc-stats}:h:`)),
      ).toBe(true);
      const ttl = await redis.ttl(keys[0]);
      expect(ttl).toBeGreaterThan(7 * 24 * 3600);
      expect(ttl).toBeLessThanOrEqual(8 * 24 * 3600);
    } finally {
      redis.disconnect();
    }
  });

  it('gives the events list its counts by status from the same counters', async () => {
    const page = await api.filter({ integrationId, limit: 1 });
    expect(page.status).toBe(200);
    expect(page.body.items).toHaveLength(1);
    expect(page.body.counts.byStatus).toMatchObject({ received: 5, succeeded: 3, failed: 2 });
    const byAction = await api.filter({ action: 'inventory.set', limit: 1 });
    expect(byAction.body.counts.byStatus).toMatchObject({ received: 2, succeeded: 0, failed: 2 });
    const otherPage = await other.filter({ limit: 1 });
    expect(otherPage.body.counts.byStatus).toMatchObject({ received: 1, succeeded: 1 });
    // Failed events of the overview's top error code, through the list's errorCode filter.
    const byCode = await api.filter({ errorCode: 'AVVYR_HTTP_422' });
    expect(byCode.body.items).toHaveLength(2);
  });

  it('refuses an unknown window and a request without a token', async () => {
    expect((await stats(api, 'window=2h')).status).toBe(400);
    expect((await http(`${service.url}/v1/integrations/events/stats`)).status).toBe(401);
  });

  it('answers GET /v1/integrations/events with the routes that exist', async () => {
    const response = await http(`${service.url}/v1/integrations/events`, {
      token: api.managementToken,
    });
    expect(response.status).toBe(404);
    expect(response.body.detail).toContain('POST /v1/integrations/events/filter');
    expect(response.body.detail).not.toContain('was not found');
  });
});
