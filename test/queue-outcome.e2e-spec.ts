import IORedis from 'ioredis';
import { Api } from './support/api';
import { fastestOf, waitFor } from './support/http';
import { PrivateRedis } from './support/private-redis';
import { startTestService, TestService } from './support/test-service';

/**
 * A Redis slower than the 800 ms command timeout (CLIENT PAUSE … WRITE holds every write): the
 * add times out, yet Redis applies it once the pause ends. The answer used to be 503 "nothing
 * was accepted" for a message that was then processed, and the client's resend applied it twice.
 */
describe('Queue outcome: a 503 is only answered when nothing was queued', () => {
  let redis: PrivateRedis;
  let admin: IORedis;
  let service: TestService;
  let api: Api;
  let apiKey: string;

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    admin = new IORedis(redis.url);
    service = await startTestService({ REDIS_URL: redis.url });
    api = await Api.forAccount(service, 'acc-outcome');
    ({ apiKey } = await api.newCustomIntegration());
  });
  afterAll(async () => {
    admin?.disconnect();
    await service?.close();
    await redis?.stop();
  });

  const adjust = (sku: string) => ({
    action: 'inventory.adjust',
    data: { items: [{ sku, adjustment: 1 }] },
  });
  const applied = async (sku: string) => (await api.sandboxState()).inventory[sku];

  it('an add that times out but lands once Redis answers is a 202', async () => {
    await admin.call('CLIENT', 'PAUSE', '1500', 'WRITE');
    const started = Date.now();
    const answer = await api.send(apiKey, adjust('SLOW-1'));
    const elapsed = Date.now() - started;
    // Over the 800 ms command timeout: the outcome had to be looked up.
    expect(elapsed).toBeGreaterThan(800);
    expect({ status: answer.status, body: answer.body }).toMatchObject({ status: 202 });
    await api.waitForStatus(answer.body.messageId, 'succeeded');
    expect(await applied('SLOW-1')).toEqual({ default: 1 });
  });

  it('when Redis cannot tell in time: QUEUE_OUTCOME_UNKNOWN, and a resend with the same Idempotency-Key is applied once', async () => {
    // Paused well past the answer's budget: the 503 must come while Redis is still paused.
    await admin.call('CLIENT', 'PAUSE', '8000', 'WRITE');
    const pausedUntil = Date.now() + 8000;
    const headers = { 'idempotency-key': 'outcome-unknown-1' };
    const first = await api.send(apiKey, adjust('SLOW-2'), headers);
    expect(Date.now()).toBeLessThan(pausedUntil);
    expect(first.status).toBe(503);
    expect(first.body.code).toBe('QUEUE_OUTCOME_UNKNOWN');
    expect(first.body.detail).toContain('Idempotency-Key');

    // Once Redis answers again, the resend finds the message the first request queued.
    const resent = await waitFor(
      () => api.send(apiKey, adjust('SLOW-2'), headers),
      (r) => r.status !== 503,
      { timeoutMs: 20_000, what: 'the resend to be answered' },
    );
    expect(resent.status).toBe(202);
    await api.waitForStatus(resent.body.messageId, 'succeeded');
    expect(await applied('SLOW-2')).toEqual({ default: 1 });
    const calls = (await api.sandboxState()).calls.filter(
      (c: any) => c.idempotencyKey === resent.body.messageId && c.status < 300 && !c.replayed,
    );
    expect(calls).toHaveLength(1);
  });

  it('Redis refusing connections is still a fast, true QUEUE_UNAVAILABLE', async () => {
    await redis.down();
    try {
      const { ms, result: answer } = await fastestOf(() => api.send(apiKey, adjust('DOWN-1')));
      expect(ms).toBeLessThan(1000);
      expect(answer.status).toBe(503);
      expect(answer.body.code).toBe('QUEUE_UNAVAILABLE');
    } finally {
      await redis.up();
    }
    const after = await waitFor(
      () => api.send(apiKey, adjust('DOWN-2')),
      (r) => r.status === 202,
      { what: 'inbound accepting again after the restart' },
    );
    await api.waitForStatus(after.body.messageId, 'succeeded');
    expect(await applied('DOWN-1')).toBeUndefined();
  });
});
