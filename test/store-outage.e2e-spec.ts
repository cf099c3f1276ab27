import { Api } from './support/api';
import { fastestOf, http } from './support/http';
import { PrivateStore } from './support/private-store';
import { startTestService, TestService } from './support/test-service';

/**
 * The document store (MongoDB; FerretDB here) stopped under load. Redis is the durable queue, so
 * ingest for a known key goes on; what needs the store answers 503 STORE_UNAVAILABLE quickly;
 * and once the store is back every message accepted meanwhile has its complete event.
 */
describe('Document store outage', () => {
  let store: PrivateStore;
  let service: TestService;
  let api: Api;
  let apiKey: string;

  beforeAll(async () => {
    store = await PrivateStore.start();
    service = await startTestService({ MONGODB_URI: store.uri('avvyr_test_store_outage') });
    api = await Api.forAccount(service, 'acc-store');
    ({ apiKey } = await api.newCustomIntegration());
  });
  afterAll(async () => {
    await store?.up();
    await service?.close();
    await store?.stop();
  });

  const adjust = (sku: string) => ({
    action: 'inventory.adjust',
    data: { items: [{ sku, adjustment: 1 }] },
  });

  it('keeps accepting known keys, answers 503 quickly for the rest, and writes every event once it is back', async () => {
    const before = await api.send(apiKey, adjust('STORE-0'));
    expect(before.status).toBe(202);
    await api.waitForStatus(before.body.messageId, 'succeeded');

    await store.down();
    const accepted: string[] = [];
    const acceptMs: number[] = [];
    // Longer than the key cache's 5 s staleness bound.
    const until = Date.now() + 7000;
    for (let i = 1; Date.now() < until; i++) {
      const started = Date.now();
      const result = await api.send(apiKey, adjust(`STORE-${i}`));
      acceptMs.push(Date.now() - started);
      expect({ i, status: result.status, code: result.body?.code }).toEqual({
        i,
        status: 202,
        code: undefined,
      });
      accepted.push(result.body.messageId);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }

    // A keyed message is accepted too: its earlier event cannot be read, Redis alone decides.
    const keyed = await api.send(apiKey, adjust('STORE-KEYED'), { 'idempotency-key': 'outage-k1' });
    expect({ status: keyed.status, code: keyed.body?.code }).toEqual({
      status: 202,
      code: undefined,
    });

    // Not waiting on the store: the typical accept stays fast (one slow answer on a busy CI is noise).
    acceptMs.sort((a, b) => a - b);
    expect(acceptMs[Math.floor(acceptMs.length / 2)]).toBeLessThan(1000);

    const unknownKey = await fastestOf(() =>
      api.send('avvyr_int_live_unknownkey0000000', adjust('X')),
    );
    expect(unknownKey.result.status).toBe(503);
    expect(unknownKey.result.body.code).toBe('STORE_UNAVAILABLE');
    expect(unknownKey.ms).toBeLessThan(1000);

    for (const path of ['/v1/integrations', `/v1/integrations/events/${accepted[0]}`]) {
      const management = await fastestOf(() =>
        http(`${service.url}${path}`, { token: api.managementToken }),
      );
      expect({ path, status: management.result.status, code: management.result.body.code }).toEqual(
        { path, status: 503, code: 'STORE_UNAVAILABLE' },
      );
      expect(management.ms).toBeLessThan(1500);
    }

    await store.up();
    for (const messageId of accepted) {
      const event = await api.waitForStatus(messageId, 'succeeded', 30_000);
      expect(event.timeline.map((s: any) => s.step)).toEqual([
        'received',
        'processing',
        'succeeded',
      ]);
    }
    // Each is found by its SKU: its event_skus rows were written too, not given up.
    const unfound: string[] = [];
    for (let i = 1; i <= accepted.length; i++) {
      const found = await api.filter({ sku: `STORE-${i}` });
      if (found.body.items?.map((e: any) => e.messageId).join() !== accepted[i - 1])
        unfound.push(`STORE-${i}`);
    }
    expect(unfound).toEqual([]);
    await api.waitForStatus(keyed.body.messageId, 'succeeded', 30_000);
    const inventory = (await api.sandboxState()).inventory;
    for (let i = 1; i <= accepted.length; i++)
      expect(inventory[`STORE-${i}`]).toEqual({ default: 1 });
    expect(inventory['STORE-KEYED']).toEqual({ default: 1 });
  }, 90_000);
});
