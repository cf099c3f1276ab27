import { Api } from './support/api';
import { http } from './support/http';
import { startTestService, TestService } from './support/test-service';
import { SEED_EXAMPLES } from './fixtures/seed-examples';

describe('Custom Inbound: the seven seed examples end to end', () => {
  let service: TestService;
  let api: Api;
  let apiKey: string;

  beforeAll(async () => {
    service = await startTestService();
    api = await Api.forAccount(service, 'acc-flow');
    ({ apiKey } = await api.newCustomIntegration());
  });
  afterAll(() => service.close());

  async function sendAndSucceed(body: unknown) {
    const accepted = await api.send(apiKey, body);
    expect(accepted.status).toBe(202);
    expect(accepted.body.messageId).toMatch(/^[0-9a-f-]{36}$/);
    return api.waitForStatus(accepted.body.messageId, 'succeeded');
  }

  it('inventory.set sets absolute levels per SKU and warehouse', async () => {
    const event = await sendAndSucceed(SEED_EXAMPLES['inventory.set']);
    expect(event.timeline.map((s: any) => s.step)).toEqual(['received', 'processing', 'succeeded']);
    const state = await api.sandboxState();
    expect(state.inventory['CHAIR-UNO-BLK']['wh-01']).toBe(42);
    expect(state.inventory['SOFA-VEL-GRY']['wh-01']).toBe(8);
    const call = state.calls.find((c: any) => c.idempotencyKey === event.messageId);
    expect(call).toMatchObject({
      method: 'PUT',
      path: '/v1/inventory/levels',
      accountId: 'acc-flow',
    });
  });

  it('inventory.adjust changes stock relative to the current level', async () => {
    // A SKU of its own: CHAIR-UNO-BLK is stocked in wh-01 by the seed examples above, and an
    // adjustment without a warehouse on a SKU stocked in two is refused (422) by the backend.
    await sendAndSucceed({
      action: 'inventory.set',
      data: { items: [{ sku: 'FLOW-ADJUST', quantity: 10 }] },
    });
    await sendAndSucceed({
      ...SEED_EXAMPLES['inventory.adjust'],
      data: { items: [{ ...SEED_EXAMPLES['inventory.adjust'].data.items[0], sku: 'FLOW-ADJUST' }] },
    });
    const state = await api.sandboxState();
    expect(state.inventory['FLOW-ADJUST']).toEqual({ default: 8 });
  });

  it('order.create creates the order and order.update ships it', async () => {
    const created = await sendAndSucceed(SEED_EXAMPLES['order.create']);
    const orderId = created.result.id;
    // The event is found by the order's externalId and by the SKUs of its lines.
    expect(created).toMatchObject({ externalId: 'ERP-ORDER-789' });
    const byExternalId = await api.filter({ externalId: 'ERP-ORDER-789' });
    expect(byExternalId.body.items.map((e: any) => e.messageId)).toEqual([created.messageId]);
    for (const sku of created.skus) {
      const bySku = await api.filter({ sku, action: 'order.create' });
      expect(bySku.body.items.map((e: any) => e.messageId)).toEqual([created.messageId]);
    }
    expect(created.skus.length).toBeGreaterThan(0);
    expect(orderId).toMatch(/^ord_/);
    let state = await api.sandboxState();
    expect(state.orders[orderId]).toMatchObject({ externalId: 'ERP-ORDER-789', status: 'pending' });

    await sendAndSucceed({ ...SEED_EXAMPLES['order.update'], entityId: orderId });
    state = await api.sandboxState();
    expect(state.orders[orderId]).toMatchObject({
      status: 'shipped',
      trackingNumber: 'PKG-123456789',
    });
  });

  it('product.upsert, price.set and customer.upsert land in the backend', async () => {
    await sendAndSucceed(SEED_EXAMPLES['product.upsert']);
    await sendAndSucceed(SEED_EXAMPLES['price.set']);
    await sendAndSucceed(SEED_EXAMPLES['customer.upsert']);
    const state = await api.sandboxState();
    expect(state.products['CHAIR-UNO-BLK']).toMatchObject({
      name: 'Lounge Chair Uno — Black',
      sellingPrice: 4990,
    });
    expect(state.prices['CHAIR-UNO-BLK']).toMatchObject({ sellingPrice: 4990, costPrice: 2200 });
    expect(state.customers['customer@example.com']).toMatchObject({
      firstName: 'Anna',
      phone: '+46701234567',
    });
  });

  it('the seed order.update example as written is accepted, and fails permanently on an unknown order', async () => {
    const accepted = await api.send(apiKey, SEED_EXAMPLES['order.update']);
    expect(accepted.status).toBe(202);
    const event = await api.waitForStatus(accepted.body.messageId, 'failed');
    expect(event.attempts).toBe(1);
    expect(event.lastError).toMatchObject({
      httpStatus: 404,
      retryable: false,
      code: 'AVVYR_HTTP_404',
    });
    expect(event.lastError.response.detail).toContain('order-id-from-avvyr');
  });

  it('every call carries the messageId as Idempotency-Key and the backend token', async () => {
    const event = await sendAndSucceed(SEED_EXAMPLES['price.set']);
    const state = await api.sandboxState();
    const calls = state.calls.filter((c: any) => c.idempotencyKey === event.messageId);
    expect(calls).toHaveLength(1);
    expect(calls[0].status).toBe(200);
  });

  it('an Idempotency-Key from the caller makes a resend return the same messageId, processed once', async () => {
    const headers = { 'idempotency-key': 'erp-batch-0001' };
    const first = await api.send(apiKey, SEED_EXAMPLES['customer.upsert'], headers);
    const second = await api.send(apiKey, SEED_EXAMPLES['customer.upsert'], headers);
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect(second.body.messageId).toBe(first.body.messageId);
    const event = await api.waitForStatus(first.body.messageId, 'succeeded');
    expect(event.timeline.filter((s: any) => s.step === 'received')).toHaveLength(1);

    const conflict = await api.send(apiKey, SEED_EXAMPLES['price.set'], headers);
    expect(conflict.status).toBe(409);
  });

  it('an Idempotency-Key resent after BullMQ trimmed the finished job: answered from the event, not queued again', async () => {
    const key = 'erp-trimmed-0001';
    const first = await api.send(apiKey, SEED_EXAMPLES['customer.upsert'], {
      'idempotency-key': key,
    });
    const { messageId } = first.body;
    await api.waitForStatus(messageId, 'succeeded');
    await service.trimJob('inbound', messageId);
    expect(await service.jobState('inbound', messageId)).toBe('missing');

    const again = await api.send(apiKey, SEED_EXAMPLES['customer.upsert'], {
      'idempotency-key': key,
    });
    expect({ status: again.status, body: again.body }).toEqual({
      status: 202,
      body: { messageId },
    });
    const other = await api.send(apiKey, SEED_EXAMPLES['price.set'], { 'idempotency-key': key });
    expect(other.status).toBe(409);
    const inBatch = await http(`${service.url}/integrations/custom/inbound/batch`, {
      token: apiKey,
      body: { messages: [{ ...SEED_EXAMPLES['customer.upsert'], idempotencyKey: key }] },
    });
    expect(inBatch.body.results).toEqual([{ index: 0, messageId }]);

    expect(await service.jobState('inbound', messageId)).toBe('missing');
    const event = (await api.event(messageId)).body;
    expect(event.timeline.map((s: any) => s.step)).toEqual(['received', 'processing', 'succeeded']);
    const calls = (await api.sandboxState()).calls.filter(
      (c: any) => c.idempotencyKey === messageId,
    );
    expect(calls).toHaveLength(1);
  });

  it('ten concurrent sends with one Idempotency-Key: one messageId, one event, one backend call', async () => {
    const headers = { 'idempotency-key': 'erp-concurrent-0001' };
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => api.send(apiKey, SEED_EXAMPLES['price.set'], headers)),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(202));
    const ids = new Set(answers.map((a) => a.body.messageId));
    expect(ids.size).toBe(1);
    const [messageId] = ids;
    const event = await api.waitForStatus(messageId, 'succeeded');
    expect(event.timeline.map((s: any) => s.step)).toEqual(['received', 'processing', 'succeeded']);
    const state = await api.sandboxState();
    const calls = state.calls.filter((c: any) => c.idempotencyKey === messageId);
    expect(calls).toHaveLength(1);
  });

  it('concurrent sends of two different bodies with one Idempotency-Key: one 202 per queued body, 409 for the other', async () => {
    const headers = { 'idempotency-key': 'erp-concurrent-0002' };
    const bodies = Array.from({ length: 10 }, (_, i) => ({
      action: 'price.set',
      data: { items: [{ sku: 'RACE-1', sellingPrice: 1000 + (i % 2) }] },
    }));
    const answers = await Promise.all(bodies.map((body) => api.send(apiKey, body, headers)));
    const accepted = answers.filter((a) => a.status === 202);
    expect(answers.every((a) => a.status === 202 || a.status === 409)).toBe(true);
    const event = await api.waitForStatus(accepted[0].body.messageId, 'succeeded');
    // Every 202 is for the body that was queued; no other body was answered 202 and dropped.
    for (const [i, answer] of answers.entries()) {
      const same = JSON.stringify(bodies[i].data) === JSON.stringify(event.payload);
      expect({ i, status: answer.status }).toEqual({ i, status: same ? 202 : 409 });
    }
    expect(event.timeline.map((s: any) => s.step)).toEqual(['received', 'processing', 'succeeded']);
  });
});
