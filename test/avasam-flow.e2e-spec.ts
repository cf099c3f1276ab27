import { randomUUID } from 'node:crypto';
import { Api } from './support/api';
import { AvasamWorld, iso, WiredSeller } from './support/avasam';
import { waitFor } from './support/http';
import { startTestService, TestService } from './support/test-service';

const steps = (event: any) => event.timeline.map((s: any) => s.step);

describe('Avasam: notifications applied to Avvyr and acknowledged back', () => {
  let service: TestService;
  let api: Api;
  let avasam: AvasamWorld;
  let seller: WiredSeller;

  beforeAll(async () => {
    service = await startTestService();
    api = await Api.forAccount(service, 'acc-avasam-flow');
    avasam = new AvasamWorld(api);
    seller = await avasam.wire({ warehouseId: 'wh-avasam' });
  });
  afterAll(() => service.close());

  it('a signed stock notification: 200, stock in Avvyr, acknowledgement in Avasam, event succeeded', async () => {
    const pressed = await avasam.pressTest(seller, {
      data: [
        { sku: 'AVA-CHAIR-01', quantity: 12, updatedOn: iso() },
        { sku: 'AVA-LAMP-02', quantity: 0, updatedOn: iso() },
      ],
    });
    expect(pressed.url).toBe(seller.stockUpdateUrl);
    expect(pressed.status).toBe(200);
    const messageId = avasam.messageId(seller, 'stock', pressed.requestId);
    expect(pressed.response).toEqual({
      received: true,
      messageId,
      requestId: pressed.requestId,
      duplicate: false,
    });

    const event = await api.waitForStatus(messageId, 'succeeded');
    expect(steps(event)).toEqual([
      'received',
      'processing',
      'applied',
      'acknowledged',
      'succeeded',
    ]);
    expect(event).toMatchObject({
      source: 'avasam',
      action: 'avasam.stock-update',
      externalId: pressed.requestId,
      integrationId: seller.integrationId,
      result: { applied: 2, superseded: 0, acknowledged: true },
    });
    expect(event.payload.token).toBeUndefined();
    const applied = event.timeline.find((s: any) => s.step === 'applied');
    expect(applied.detail).toMatchObject({ count: 2, warehouseId: 'wh-avasam' });

    const avvyr = await api.sandboxState();
    expect(avvyr.inventory['AVA-CHAIR-01']).toEqual({ 'wh-avasam': 12 });
    expect(avvyr.inventory['AVA-LAMP-02']).toEqual({ 'wh-avasam': 0 });
    expect(avvyr.calls.find((c: any) => c.idempotencyKey === messageId)).toMatchObject({
      path: '/v1/inventory/levels',
      accountId: 'acc-avasam-flow',
    });
    expect(await avasam.acknowledgements(pressed.requestId)).toEqual([
      expect.objectContaining({ kind: 'stock', consumerKey: seller.consumerKey }),
    ]);

    const listed = await api.filter({ integrationId: seller.integrationId, source: 'avasam' });
    expect(listed.body.items.map((e: any) => e.messageId)).toContain(messageId);
    // Found by one of the SKUs it touched, and by Avasam's requestId.
    expect(event.skus).toEqual(['AVA-CHAIR-01', 'AVA-LAMP-02']);
    const bySku = await api.filter({ sku: 'AVA-LAMP-02' });
    expect(bySku.body.items.map((e: any) => e.messageId)).toEqual([messageId]);
    const byRequest = await api.filter({ externalId: pressed.requestId });
    expect(byRequest.body.items.map((e: any) => e.messageId)).toEqual([messageId]);
  });

  it('the same requestId delivered again is answered 200 and processed once', async () => {
    const requestId = randomUUID();
    const data = [{ sku: 'AVA-REPLAY', quantity: 4, updatedOn: iso() }];
    const first = await avasam.pressTest(seller, { requestId, data });
    const messageId = first.response.messageId;
    await api.waitForStatus(messageId, 'succeeded');

    const again = await avasam.pressTest(seller, { requestId, data });
    expect(again.status).toBe(200);
    expect(again.response).toMatchObject({ messageId, duplicate: true });
    const event = await avasam.waitForStep(messageId, 'redelivered');
    expect(steps(event).filter((s: string) => s === 'applied')).toHaveLength(1);
    expect(event.status).toBe('succeeded');
    const avvyr = await api.sandboxState();
    expect(avvyr.calls.filter((c: any) => c.idempotencyKey === messageId)).toHaveLength(1);
    expect(await avasam.acknowledgements(requestId)).toHaveLength(1);
  });

  it('the same requestId delivered twice at once: one delivery queues it, the other is a duplicate', async () => {
    const requestId = randomUUID();
    const data = [{ sku: 'AVA-TWICE', quantity: 6, updatedOn: iso() }];
    const answers = await Promise.all([
      avasam.pressTest(seller, { requestId, data }),
      avasam.pressTest(seller, { requestId, data }),
    ]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    expect(answers.map((a) => a.response.duplicate).sort()).toEqual([false, true]);
    const messageId = answers[0].response.messageId;
    expect(answers[1].response.messageId).toBe(messageId);
    const event = await api.waitForStatus(messageId, 'succeeded');
    expect(steps(event).filter((s: string) => s === 'received')).toHaveLength(1);
    expect(steps(event).filter((s: string) => s === 'applied')).toHaveLength(1);
  });

  it('an item older than the last applied change of its SKU is skipped as superseded', async () => {
    const newer = await avasam.pressTest(seller, {
      data: [{ sku: 'AVA-STALE', quantity: 20, updatedOn: '2030-01-01T12:00:00Z' }],
    });
    await api.waitForStatus(newer.response.messageId, 'succeeded');

    const late = await avasam.pressTest(seller, {
      data: [
        { sku: 'AVA-STALE', quantity: 5, updatedOn: '2030-01-01T11:00:00Z' },
        { sku: 'AVA-FRESH', quantity: 9, updatedOn: '2030-01-01T11:00:00Z' },
      ],
    });
    const event = await api.waitForStatus(late.response.messageId, 'succeeded');
    expect(steps(event)).toEqual([
      'received',
      'processing',
      'superseded',
      'applied',
      'acknowledged',
      'succeeded',
    ]);
    const superseded = event.timeline.find((s: any) => s.step === 'superseded');
    expect(superseded.detail.items).toEqual([
      {
        sku: 'AVA-STALE',
        updatedOn: '2030-01-01T11:00:00.000Z',
        newerUpdatedOn: '2030-01-01T12:00:00.000Z',
        newerMessageId: newer.response.messageId,
      },
    ]);
    expect(event.result).toEqual({ applied: 1, superseded: 1, acknowledged: true });
    const avvyr = await api.sandboxState();
    expect(avvyr.inventory['AVA-STALE']).toEqual({ 'wh-avasam': 20 });
    expect(avvyr.inventory['AVA-FRESH']).toEqual({ 'wh-avasam': 9 });
    // Even with nothing applied, Avasam is told the notification was handled.
    expect(await avasam.acknowledgements(late.requestId)).toHaveLength(1);
  });

  it('concurrent notifications for one SKU end with the newest quantity, whatever their order', async () => {
    const updates = [3, 0, 6, 1, 7, 2, 5, 4].map((second) => ({
      sku: 'AVA-RACE',
      quantity: 100 + second,
      updatedOn: `2031-01-01T10:00:0${second}Z`,
    }));
    const pressed = await Promise.all(
      updates.map((item) => avasam.pressTest(seller, { data: [item] })),
    );
    const events = await Promise.all(
      pressed.map((p) => api.waitForStatus(p.response.messageId, 'succeeded')),
    );
    expect((await api.sandboxState()).inventory['AVA-RACE']).toEqual({ 'wh-avasam': 107 });
    const outcome = events.map((e) => e.result);
    expect(outcome.every((r) => r.applied + r.superseded === 1 && r.acknowledged)).toBe(true);
    const newest = events[updates.findIndex((u) => u.quantity === 107)];
    expect(newest.result.applied).toBe(1);
  });

  it('a token that expires between calls is refreshed once and the acknowledgement goes through', async () => {
    const first = await avasam.pressTest(seller);
    await api.waitForStatus(first.response.messageId, 'succeeded');
    const before = await avasam.sandboxState();
    expect((await avasam.expireTokens(seller)).body.expired).toBeGreaterThan(0);

    const second = await avasam.pressTest(seller);
    const event = await api.waitForStatus(second.response.messageId, 'succeeded');
    expect(steps(event)).toEqual([
      'received',
      'processing',
      'applied',
      'acknowledged',
      'succeeded',
    ]);
    const after = await avasam.sandboxState();
    expect(after.tokensIssued).toBe(before.tokensIssued + 1);
    const ackCalls = after.calls
      .slice(before.calls.length)
      .filter((c: any) => c.action === 'acknowledge-stock')
      .map((c: any) => c.status);
    expect(ackCalls).toEqual([401, 200]);
    expect(await avasam.acknowledgements(second.requestId)).toHaveLength(1);
  });

  it('an acknowledgement that fails twice is retried with backoff and then succeeds, applied once', async () => {
    await avasam.injectFault({ action: 'acknowledge-stock', status: 503, times: 2 });
    const pressed = await avasam.pressTest(seller, {
      data: [{ sku: 'AVA-ACK', quantity: 3, updatedOn: iso() }],
    });
    const messageId = pressed.response.messageId;
    const event = await api.waitForStatus(messageId, 'succeeded');
    expect(steps(event)).toEqual([
      'received',
      'processing',
      'applied',
      'retrying',
      'processing',
      'retrying',
      'processing',
      'acknowledged',
      'succeeded',
    ]);
    expect(event.attempts).toBe(3);
    const retrying = event.timeline.find((s: any) => s.step === 'retrying');
    expect(retrying.error).toMatchObject({
      code: 'AVASAM_HTTP_503',
      httpStatus: 503,
      retryable: true,
    });
    const avvyr = await api.sandboxState();
    expect(avvyr.calls.filter((c: any) => c.idempotencyKey === messageId)).toHaveLength(1);
    expect(await avasam.acknowledgements(pressed.requestId)).toHaveLength(1);
  });

  it('a backend failure is retried like inbound jobs before anything is acknowledged', async () => {
    await api.injectFault({ action: 'inventory.set', status: 503, times: 1 });
    const pressed = await avasam.pressTest(seller);
    const event = await api.waitForStatus(pressed.response.messageId, 'succeeded');
    expect(steps(event)).toEqual([
      'received',
      'processing',
      'retrying',
      'processing',
      'applied',
      'acknowledged',
      'succeeded',
    ]);
    expect(event.timeline[2].error).toMatchObject({ code: 'AVVYR_HTTP_503', retryable: true });
  });

  it('a price notification is applied to costPrice by default, not acknowledged unless configured', async () => {
    const pressed = await avasam.pressTest(seller, {
      kind: 'price',
      data: [{ sku: 'AVA-PRICE-01', price: 18.5, updatedOn: iso() }],
    });
    expect(pressed.url).toBe(seller.priceUpdateUrl);
    const event = await api.waitForStatus(pressed.response.messageId, 'succeeded');
    expect(event.action).toBe('avasam.price-update');
    expect(steps(event)).toEqual([
      'received',
      'processing',
      'applied',
      'acknowledgement-skipped',
      'succeeded',
    ]);
    const avvyr = await api.sandboxState();
    expect(avvyr.prices['AVA-PRICE-01']).toEqual({ sku: 'AVA-PRICE-01', costPrice: 18.5 });
    expect(await avasam.acknowledgements(pressed.requestId)).toEqual([]);
  });

  it('a price notification goes to the configured priceField, acknowledged at a configured path', async () => {
    const priced = await avasam.wire({
      priceField: 'sellingPrice',
      priceAcknowledgementPath: 'api-seller/Product/AcknowledgePriceUpdate',
    });
    const pressed = await avasam.pressTest(priced, {
      kind: 'price',
      data: [
        { sku: 'AVA-PRICE-02', sellingPrice: 24.99, updatedOn: '2030-02-01T10:00:00Z' },
        { sku: 'AVA-PRICE-03', costPrice: 7, updatedOn: '2030-02-01T10:00:00Z' },
      ],
    });
    const event = await api.waitForStatus(pressed.response.messageId, 'succeeded');
    expect(steps(event)).toEqual([
      'received',
      'processing',
      'applied',
      'acknowledged',
      'succeeded',
    ]);
    expect(event.timeline[2].detail).toMatchObject({ priceField: 'sellingPrice', count: 2 });
    const avvyr = await api.sandboxState();
    expect(avvyr.prices['AVA-PRICE-02']).toEqual({ sku: 'AVA-PRICE-02', sellingPrice: 24.99 });
    expect(avvyr.prices['AVA-PRICE-03']).toEqual({ sku: 'AVA-PRICE-03', sellingPrice: 7 });
    expect(await avasam.acknowledgements(pressed.requestId)).toEqual([
      expect.objectContaining({ kind: 'price', consumerKey: priced.consumerKey }),
    ]);

    // The price guard is its own: an older price is superseded, stock watermarks are not involved.
    const late = await avasam.pressTest(priced, {
      kind: 'price',
      data: [{ sku: 'AVA-PRICE-02', price: 1, updatedOn: '2030-02-01T09:00:00Z' }],
    });
    const lateEvent = await api.waitForStatus(late.response.messageId, 'succeeded');
    expect(steps(lateEvent)).toContain('superseded');
    expect((await api.sandboxState()).prices['AVA-PRICE-02'].sellingPrice).toBe(24.99);
  });

  it('wrong Avasam keys fail the event permanently; after fixing them a manual retry acknowledges without applying again', async () => {
    const broken = await avasam.wire();
    await avasam.patchIntegration(broken.integrationId, { settings: { secretKey: 'not-the-key' } });
    const pressed = await avasam.pressTest(broken, {
      data: [{ sku: 'AVA-KEYS', quantity: 1, updatedOn: iso() }],
    });
    const messageId = pressed.response.messageId;
    const failed = await api.waitForStatus(messageId, 'failed');
    expect(failed.attempts).toBe(1);
    expect(failed.lastError).toMatchObject({
      code: 'AVASAM_AUTH_FAILED',
      httpStatus: 401,
      retryable: false,
    });
    expect(steps(failed)).toEqual(['received', 'processing', 'applied', 'failed']);

    await avasam.patchIntegration(broken.integrationId, {
      settings: { secretKey: broken.secretKey },
    });
    expect((await api.retry(messageId)).status).toBe(202);
    const retried = await waitFor(
      () => api.event(messageId),
      (r) => r.body.status === 'succeeded',
      { what: 'the retried event to succeed' },
    );
    expect(steps(retried.body).filter((s: string) => s === 'applied')).toHaveLength(1);
    expect(steps(retried.body).slice(-2)).toEqual(['acknowledged', 'succeeded']);
    expect(await avasam.acknowledgements(pressed.requestId)).toHaveLength(1);
  });
});
