import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { Api } from './support/api';
import { http, waitFor } from './support/http';
import { startTestService, TestService } from './support/test-service';
import { queuePrefix } from '../src/config/redis';

/**
 * Per-entity ordering (README "Ordering"): whatever retries do on the way, each key ends in the
 * state of applying its messages in the order they were accepted (or their `occurredAt`).
 */
describe('Ordering: updates land in the order they were sent', () => {
  let service: TestService;
  let api: Api;
  let apiKey: string;

  beforeAll(async () => {
    service = await startTestService({ RETRY_ATTEMPTS: '6', ORDERING_RECHECK_MS: '1000' });
    api = await Api.forAccount(service, 'acc-ordering');
    ({ apiKey } = await api.newCustomIntegration());
  });
  afterAll(() => service.close());

  const sku = (name: string) => `${name}-${randomBytes(3).toString('hex')}`;
  const steps = (event: any): string[] => event.timeline.map((s: any) => s.step);
  const step = (event: any, name: string) => event.timeline.find((s: any) => s.step === name);

  async function send(action: string, data: unknown, extra: Record<string, unknown> = {}) {
    const accepted = await api.send(apiKey, { action, data, ...extra });
    expect(accepted.status).toBe(202);
    return accepted.body.messageId as string;
  }
  const setLevel = (item: string, quantity: number, extra: Record<string, unknown> = {}) =>
    send('inventory.set', { items: [{ sku: item, quantity, warehouseId: 'wh-01' }] }, extra);
  const level = async (item: string) => (await api.sandboxState()).inventory[item]?.['wh-01'];

  it('set 42 then 7, the first retried: the platform ends at 7 and 42 is superseded', async () => {
    const chair = sku('CHAIR');
    await api.injectFault({ action: 'inventory.set', status: 503, times: 1, retryAfterSeconds: 1 });
    const first = await setLevel(chair, 42);
    await api.waitForStatus(first, 'retrying');
    const second = await setLevel(chair, 7);

    await api.waitForStatus(second, 'succeeded');
    const late = await api.waitForStatus(first, 'succeeded');
    expect(await level(chair)).toBe(7);
    expect(steps(late)).toContain('superseded');
    expect(step(late, 'superseded').detail.items).toEqual([
      expect.objectContaining({
        key: `inventory:${chair}`,
        field: '@wh-01',
        newerMessageId: second,
      }),
    ]);
    expect(late.result).toEqual({ superseded: true, applied: 0 });
    expect(late.order.seq).toBeLessThan((await api.event(second)).body.order.seq);
  });

  it('price 1000 then 900, the first retried: 900 wins', async () => {
    const item = sku('LAMP');
    await api.injectFault({ action: 'price.set', status: 503, times: 1, retryAfterSeconds: 1 });
    const first = await send('price.set', { items: [{ sku: item, sellingPrice: 1000 }] });
    await api.waitForStatus(first, 'retrying');
    const second = await send('price.set', { items: [{ sku: item, sellingPrice: 900 }] });
    await api.waitForStatus(second, 'succeeded');
    await api.waitForStatus(first, 'succeeded');
    expect((await api.sandboxState()).prices[item].sellingPrice).toBe(900);
  });

  it('an older price still applies the fields a newer one did not set', async () => {
    const item = sku('DESK');
    await api.injectFault({ action: 'price.set', status: 503, times: 1, retryAfterSeconds: 1 });
    const first = await send('price.set', {
      items: [{ sku: item, sellingPrice: 100, costPrice: 40 }],
    });
    await api.waitForStatus(first, 'retrying');
    const second = await send('price.set', { items: [{ sku: item, sellingPrice: 90 }] });
    await api.waitForStatus(second, 'succeeded');
    const late = await api.waitForStatus(first, 'succeeded');
    expect((await api.sandboxState()).prices[item]).toMatchObject({
      sellingPrice: 90,
      costPrice: 40,
    });
    expect(step(late, 'superseded').detail.items).toEqual([
      expect.objectContaining({ field: 'sellingPrice', newerMessageId: second }),
    ]);
  });

  it('shipped then delivered, the first retried: the order stays delivered and keeps its tracking', async () => {
    const created = await send('order.create', {
      externalId: sku('ORD'),
      customer: { email: 'buyer@example.com' },
      lineItems: [{ sku: 'CHAIR-UNO-BLK', quantity: 1, unitPrice: 10 }],
    });
    const orderId = (await api.waitForStatus(created, 'succeeded')).result.id;

    await api.injectFault({ action: 'order.update', status: 503, times: 1, retryAfterSeconds: 1 });
    const shipped = await send(
      'order.update',
      { status: 'shipped', trackingNumber: '1Z999' },
      { entityId: orderId },
    );
    await api.waitForStatus(shipped, 'retrying');
    const delivered = await send('order.update', { status: 'delivered' }, { entityId: orderId });
    await api.waitForStatus(delivered, 'succeeded');
    await api.waitForStatus(shipped, 'succeeded');

    const order = (await api.sandboxState()).orders[orderId];
    expect(order).toMatchObject({ status: 'delivered', trackingNumber: '1Z999' });
  });

  it('set 10, adjust -2, set 5, adjust +1 with the first retried: 6, each adjustment applied once', async () => {
    const item = sku('STOOL');
    await api.injectFault({ action: 'inventory.set', status: 503, times: 1, retryAfterSeconds: 1 });
    const adjust = (adjustment: number) =>
      send('inventory.adjust', { items: [{ sku: item, adjustment, warehouseId: 'wh-01' }] });
    const ids = [
      await setLevel(item, 10),
      await adjust(-2),
      await setLevel(item, 5),
      await adjust(+1),
    ];
    const events = [];
    for (const id of ids) events.push(await api.waitForStatus(id, 'succeeded'));

    expect(await level(item)).toBe(6);
    // Each message waited for the one before it, and said so.
    expect(step(events[1], 'held').detail).toMatchObject({
      behind: ids[0],
      key: `inventory:${item}`,
    });
    expect(step(events[2], 'held').detail.behind).toBe(ids[1]);
    const calls = (await api.sandboxState()).calls.filter(
      (c: any) => ids.includes(c.idempotencyKey) && c.status === 200,
    );
    expect(calls.map((c: any) => c.idempotencyKey)).toEqual(ids);
  });

  it('occurredAt orders the key: the newer change wins even when it arrives first', async () => {
    const item = sku('SOFA');
    const newer = await setLevel(item, 2, { occurredAt: '2026-11-30T10:00:02Z' });
    await api.waitForStatus(newer, 'succeeded');
    const older = await setLevel(item, 1, { occurredAt: '2026-11-30T10:00:01.000+00:00' });
    const late = await api.waitForStatus(older, 'succeeded');
    expect(await level(item)).toBe(2);
    expect(steps(late)).toContain('superseded');
    expect(late.order).toEqual({ seq: expect.any(Number), at: '2026-11-30T10:00:01.000Z' });
  });

  it('occurredAt sent in parallel: the latest occurredAt of each key wins', async () => {
    const item = sku('BENCH');
    const levels = [3, 7, 1, 9, 4, 8, 2, 6, 5];
    const ids = await Promise.all(
      levels.map((quantity) =>
        setLevel(item, quantity, { occurredAt: `2026-11-30T11:00:0${quantity}Z` }),
      ),
    );
    await Promise.all(ids.map((id) => api.waitForStatus(id, 'succeeded')));
    expect(await level(item)).toBe(9);
  });

  it('rejects an occurredAt that is not an ISO 8601 date-time with a zone', async () => {
    for (const occurredAt of ['yesterday', '2026-11-30', '2026-11-30T10:00:00', 42]) {
      const refused = await api.send(apiKey, {
        action: 'inventory.set',
        data: { items: [{ sku: 'X', quantity: 1 }] },
        occurredAt,
      });
      expect(refused.status).toBe(400);
      expect(refused.body.errors).toEqual([expect.objectContaining({ path: 'occurredAt' })]);
    }
  });

  it('a manual retry of an old failed set after a newer one succeeded is superseded, the backend unchanged', async () => {
    const item = sku('SHELF');
    await api.injectFault({ action: 'inventory.set', status: 400, times: 1 });
    const old = await setLevel(item, 30);
    await api.waitForStatus(old, 'failed');
    const newer = await setLevel(item, 12);
    await api.waitForStatus(newer, 'succeeded');

    expect((await api.retry(old)).status).toBe(202);
    const retried = await waitForRun(old, 1);
    expect(retried.status).toBe('succeeded');
    expect(steps(retried)).toEqual(expect.arrayContaining(['manual-retry', 'superseded']));
    expect(await level(item)).toBe(12);
  });

  it('a message that fails for good releases its key', async () => {
    const item = sku('RUG');
    await api.injectFault({ action: 'inventory.set', status: 422, times: 1 });
    const failing = await setLevel(item, 1);
    const next = await send('inventory.adjust', {
      items: [{ sku: item, adjustment: 3, warehouseId: 'wh-01' }],
    });
    await api.waitForStatus(failing, 'failed');
    await api.waitForStatus(next, 'succeeded');
    expect(await level(item)).toBe(3);
  });

  it('unrelated keys do not wait for a retrying one', async () => {
    const slow = sku('SLOW');
    await api.injectFault({ action: 'inventory.set', status: 503, times: 1, retryAfterSeconds: 5 });
    const held = await setLevel(slow, 1);
    await api.waitForStatus(held, 'retrying');
    const other = await setLevel(sku('FAST'), 1);
    const done = await api.waitForStatus(other, 'succeeded', 4000);
    expect(steps(done)).not.toContain('held');
    expect((await api.event(held)).body.status).toBe('retrying');
  });

  it('counts superseded messages and shows how many are held, on /metrics', async () => {
    const text = (await http<string>(`${service.url}/metrics`)).body;
    const superseded = text.match(
      /^avvyr_messages_superseded_total\{source="inbound",action="inventory.set"\} (\d+)$/m,
    );
    expect(Number(superseded?.[1])).toBeGreaterThanOrEqual(3);
    // Every message above has finished: nothing is waiting behind another.
    expect(text).toMatch(/^avvyr_messages_held 0$/m);
  });

  it('shows a held message as held, naming the message it waits for, until that one is done', async () => {
    const item = sku('HELD');
    await api.injectFault({ action: 'inventory.set', status: 503, times: 1, retryAfterSeconds: 2 });
    const first = await setLevel(item, 5);
    await api.waitForStatus(first, 'retrying');
    const adjustment = await send('inventory.adjust', {
      items: [{ sku: item, adjustment: 1, warehouseId: 'wh-01' }],
    });
    const held = await waitFor(
      () => api.event(adjustment),
      (r) => r.status === 200 && steps(r.body).includes('held'),
      { what: 'the held step' },
    );
    expect(held.body.status).toBe('received');
    expect(step(held.body, 'held').detail).toEqual({
      behind: first,
      source: 'inbound',
      key: `inventory:${item}`,
    });
    const gauge = await http<string>(`${service.url}/metrics`);
    expect(gauge.body).toMatch(/^avvyr_messages_held 1$/m);
    await api.waitForStatus(adjustment, 'succeeded');
    expect(await level(item)).toBe(6);
  });

  it('a message whose job was deleted by hand does not hold its key for ever', async () => {
    const item = sku('DELETED');
    await api.injectFault({
      action: 'inventory.set',
      status: 503,
      times: 1,
      retryAfterSeconds: 600,
    });
    const doomed = await setLevel(item, 50);
    await api.waitForStatus(doomed, 'retrying');
    const next = await send('inventory.adjust', {
      items: [{ sku: item, adjustment: 2, warehouseId: 'wh-01' }],
    });
    await waitFor(
      () => api.event(next),
      (r) => r.status === 200 && steps(r.body).includes('held'),
      { what: 'the adjustment held behind the retrying set' },
    );
    // An operator deletes the retrying job (Bull Board): its entry on the key is orphaned.
    const queue = new Queue('inbound', {
      connection: { url: service.env.REDIS_URL },
      prefix: queuePrefix(service.env),
    });
    await (await queue.getJob(doomed))!.remove();
    await queue.close();
    await api.waitForStatus(next, 'succeeded', 30_000);
    expect(await level(item)).toBe(2);
  }, 40_000);

  describe('sandbox: an adjustment without a warehouse', () => {
    it('adjusts the SKU’s only warehouse', async () => {
      const item = sku('ONE-WH');
      await api.waitForStatus(await setLevel(item, 42), 'succeeded');
      const adjusted = await send('inventory.adjust', { items: [{ sku: item, adjustment: -2 }] });
      await api.waitForStatus(adjusted, 'succeeded');
      expect((await api.sandboxState()).inventory[item]).toEqual({ 'wh-01': 40 });
    });

    it('fails for good, naming the warehouses, when the SKU is stocked in several', async () => {
      const item = sku('TWO-WH');
      await api.waitForStatus(
        await send('inventory.set', {
          items: [
            { sku: item, quantity: 1, warehouseId: 'wh-01' },
            { sku: item, quantity: 2, warehouseId: 'wh-02' },
          ],
        }),
        'succeeded',
      );
      const adjusted = await send('inventory.adjust', { items: [{ sku: item, adjustment: -1 }] });
      const failed = await api.waitForStatus(adjusted, 'failed');
      expect(failed.lastError).toMatchObject({ httpStatus: 422, retryable: false });
      expect(JSON.stringify(failed.lastError.response)).toContain('wh-01, wh-02');
      expect((await api.sandboxState()).inventory[item]).toEqual({ 'wh-01': 1, 'wh-02': 2 });
    });
  });

  async function waitForRun(messageId: string, run: number) {
    for (let i = 0; i < 400; i++) {
      const event = (await api.event(messageId)).body;
      const lastRun = Math.max(...event.timeline.map((s: any) => s.run ?? 0));
      if (lastRun >= run && ['succeeded', 'failed'].includes(event.status)) return event;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`run ${run} of ${messageId} did not finish`);
  }
});
