import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { Api } from './support/api';
import { http, waitFor } from './support/http';
import { PrivateRedis } from './support/private-redis';
import { startTestService, TestService } from './support/test-service';
import { SEED_EXAMPLES } from './fixtures/seed-examples';

/** `POST /integrations/custom/inbound/batch`: many messages, each validated and tracked on its own. */
describe('Batch ingest', () => {
  let service: TestService;
  let api: Api;
  let apiKey: string;
  let db: mongoose.Connection;

  beforeAll(async () => {
    service = await startTestService();
    api = await Api.forAccount(service, 'acc-batch');
    ({ apiKey } = await api.newCustomIntegration());
    db = await mongoose.createConnection(service.env.MONGODB_URI).asPromise();
  });
  afterAll(async () => {
    await db?.close();
    await service.close();
  });

  const sendBatch = (body: unknown, key = apiKey) =>
    http(`${service.url}/integrations/custom/inbound/batch`, { token: key, body });
  const tag = () => randomBytes(3).toString('hex');

  /** Messages on keys of their own, cycling through five actions that need no prior state. */
  function mixed(count: number, run: string) {
    return Array.from({ length: count }, (_, i) => {
      switch (i % 5) {
        case 0:
          return {
            action: 'inventory.set',
            data: { items: [{ sku: `B-${run}-${i}`, quantity: i }] },
          };
        case 1:
          return {
            action: 'price.set',
            data: { items: [{ sku: `B-${run}-${i}`, sellingPrice: i }] },
          };
        case 2:
          return {
            action: 'product.upsert',
            data: { products: [{ sku: `B-${run}-${i}`, name: `Product ${i}` }] },
          };
        case 3:
          return { action: 'customer.upsert', data: { email: `c${i}-${run}@example.com` } };
        default:
          return {
            ...SEED_EXAMPLES['order.create'],
            data: { ...SEED_EXAMPLES['order.create'].data, externalId: `B-${run}-${i}` },
          };
      }
    });
  }

  it('1,000 mixed messages with 3 invalid: 997 queued and processed, the 3 answered with their paths', async () => {
    const run = tag();
    const messages: unknown[] = mixed(1000, run);
    messages[10] = { action: 'inventory.set', data: { items: [{ sku: 'X', quantity: -1 }] } };
    messages[500] = { action: 'inventory.teleport', data: {} };
    messages[999] = { action: 'price.set', data: { items: [{ sku: 'X' }] }, colour: 'red' };

    const answer = await sendBatch({ messages });
    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({ accepted: 997, rejected: 3, batchId: expect.any(String) });
    const results = answer.body.results;
    expect(results).toHaveLength(1000);
    expect(results.map((r: any) => r.index)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(results[10]).toEqual({
      index: 10,
      status: 400,
      code: 'VALIDATION_FAILED',
      errors: [expect.objectContaining({ path: 'messages[10].data.items[0].quantity' })],
    });
    expect(results[500]).toMatchObject({ status: 400, code: 'UNKNOWN_ACTION' });
    expect(results[500].errors[0].path).toBe('messages[500].action');
    expect(results[999].errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: 'messages[999].colour' })]),
    );
    const ids = results.filter((r: any) => r.messageId).map((r: any) => r.messageId);
    expect(new Set(ids).size).toBe(997);

    const events = db.collection('integration_events');
    const { batchId } = answer.body;
    await waitFor(
      () => events.countDocuments({ batchId, status: 'succeeded' }),
      (count) => count === 997,
      { timeoutMs: 120_000, intervalMs: 250, what: '997 succeeded events of the batch' },
    );
    const one = await api.event(results[0].messageId);
    expect(one.body).toMatchObject({ batchId, status: 'succeeded', action: 'inventory.set' });
    expect(one.body.timeline[0]).toMatchObject({ step: 'received', detail: { batchId, index: 0 } });
    // The worker's copy of the received entry (it restores a lost one) is the same entry.
    const done = await api.waitForStatus(one.body.messageId, 'succeeded');
    expect(done.timeline.map((s: any) => s.step)).toEqual(['received', 'processing', 'succeeded']);
    expect((await api.sandboxState()).inventory[`B-${run}-5`]).toEqual({ default: 5 });
  }, 150_000);

  it('keeps per-entity order inside a batch: the array order', async () => {
    const sku = `ORDERED-${tag()}`;
    const set = (quantity: number) => ({
      action: 'inventory.set',
      data: { items: [{ sku, quantity, warehouseId: 'wh-01' }] },
    });
    const adjust = (adjustment: number) => ({
      action: 'inventory.adjust',
      data: { items: [{ sku, adjustment, warehouseId: 'wh-01' }] },
    });
    await api.injectFault({ action: 'inventory.set', status: 503, times: 1, retryAfterSeconds: 1 });
    const answer = await sendBatch({
      messages: [set(5), adjust(+1), set(9), adjust(-2), set(3), set(4)],
    });
    expect(answer.status).toBe(202);
    const ids = answer.body.results.map((r: any) => r.messageId);
    for (const id of ids) await api.waitForStatus(id, 'succeeded');
    expect((await api.sandboxState()).inventory[sku]).toEqual({ 'wh-01': 4 });
    const seqs = await Promise.all(
      ids.map(async (id: string) => (await api.event(id)).body.order.seq),
    );
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  });

  it('a message idempotencyKey works as the header: a resend is not queued twice', async () => {
    const key = `erp-${tag()}`;
    const message = { ...SEED_EXAMPLES['price.set'], idempotencyKey: key };
    const first = await sendBatch({ messages: [message] });
    const again = await sendBatch({ messages: [message, { ...message }] });
    expect(first.status).toBe(202);
    expect(again.body.results).toEqual([
      { index: 0, messageId: first.body.results[0].messageId },
      { index: 1, messageId: first.body.results[0].messageId },
    ]);
    // The header of a single request with the same key names the same message.
    const single = await api.send(apiKey, SEED_EXAMPLES['price.set'], { 'idempotency-key': key });
    expect(single.body.messageId).toBe(first.body.results[0].messageId);

    const changed = await sendBatch({
      messages: [{ ...message, data: { items: [{ sku: 'OTHER', sellingPrice: 1 }] } }],
    });
    expect(changed.status).toBe(400);
    expect(changed.body.errors).toEqual([
      expect.objectContaining({ path: 'messages[0].idempotencyKey' }),
    ]);
    const calls = (await api.sandboxState()).calls.filter(
      (c: any) => c.idempotencyKey === first.body.results[0].messageId && c.status === 200,
    );
    await api.waitForStatus(first.body.results[0].messageId, 'succeeded');
    expect(calls.length).toBeLessThanOrEqual(1);
  });

  it('concurrent batches sending one idempotencyKey with two bodies: only the queued body is accepted', async () => {
    const key = `erp-race-${tag()}`;
    const bodyOf = (i: number) => ({
      action: 'price.set',
      idempotencyKey: key,
      data: { items: [{ sku: `RACE-${tag()}`.slice(0, 8), sellingPrice: 500 + (i % 2) }] },
    });
    const sent = Array.from({ length: 6 }, (_, i) => bodyOf(i));
    const answers = await Promise.all(sent.map((message) => sendBatch({ messages: [message] })));
    const accepted = answers.flatMap((a) => (a.status === 202 ? a.body.results : []));
    const messageId = accepted.find((r: any) => r.messageId)?.messageId;
    const event = await api.waitForStatus(messageId, 'succeeded');
    for (const [i, answer] of answers.entries()) {
      const same = JSON.stringify(sent[i].data) === JSON.stringify(event.payload);
      const result = answer.status === 202 ? answer.body.results[0] : undefined;
      if (same) expect({ i, result }).toEqual({ i, result: { index: 0, messageId } });
      // A different body: refused before queueing (400, nothing valid) or once it met the key.
      else
        expect({ i, code: result?.code ?? answer.body.errors[0].path }).toEqual({
          i,
          code: result ? 'CONFLICT' : 'messages[0].idempotencyKey',
        });
    }
    expect(event.timeline.map((s: any) => s.step)).toEqual(['received', 'processing', 'succeeded']);
  });

  it.each([
    ['not an object', [1, 2], 'the body must be a JSON object'],
    ['no messages', {}, 'messages must be an array'],
    ['an empty list', { messages: [] }, '1 to 1000'],
    ['1,001 messages', { messages: mixed(1001, 'x') }, '1 to 1000'],
    ['a field beside messages', { messages: mixed(1, 'y'), extra: 1 }, 'extra should not exist'],
  ])('a bad envelope (%s) is a 400 and queues nothing', async (_name, body, message) => {
    const before = await service.queueCounts('inbound');
    const answer = await sendBatch(body);
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(answer.body.errors)).toContain(message);
    expect(await service.queueCounts('inbound')).toEqual(before);
  });

  it('a batch with no valid message is a 400 listing every error', async () => {
    const answer = await sendBatch({
      messages: [{ action: 'inventory.set', data: {} }, { action: 'price.set' }],
    });
    expect(answer.status).toBe(400);
    expect(answer.body.errors.map((e: any) => e.path)).toEqual(
      expect.arrayContaining(['messages[0].data.items', 'messages[1].data']),
    );
  });

  it('takes bodies up to 5 MiB; the single endpoint keeps its 1 MiB limit', async () => {
    const big = 'x'.repeat(1500);
    const messages = Array.from({ length: 1000 }, (_, i) => ({
      action: 'product.upsert',
      data: { products: [{ sku: `BIG-${i}`, name: 'Big', description: big }] },
    }));
    const answer = await sendBatch({ messages });
    expect(answer.status).toBe(202);
    expect(answer.body.accepted).toBe(1000);
    const tooBig = await sendBatch({
      messages: [
        {
          action: 'product.upsert',
          data: { products: [{ sku: 'X', name: 'x'.repeat(6 * 1024 * 1024) }] },
        },
      ],
    });
    expect(tooBig.status).toBe(413);
  });

  it('needs the integration key', async () => {
    const answer = await sendBatch({ messages: mixed(1, 'z') }, 'avvyr_int_live_wrong');
    expect(answer.status).toBe(401);
  });
});

describe('Batch ingest while Redis is down', () => {
  let redis: PrivateRedis;
  let service: TestService;
  let apiKey: string;

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    service = await startTestService({ REDIS_URL: redis.url });
    ({ apiKey } = await (await Api.forAccount(service, 'acc-batch-down')).newCustomIntegration());
  });
  afterAll(async () => {
    await redis.up().catch(() => undefined);
    await service.close();
    await redis.stop();
  });

  it('answers 503 and queues nothing', async () => {
    await redis.down();
    const answer = await http(`${service.url}/integrations/custom/inbound/batch`, {
      token: apiKey,
      body: { messages: [SEED_EXAMPLES['price.set'], SEED_EXAMPLES['inventory.set']] },
    });
    expect(answer.status).toBe(503);
    expect(answer.body.code).toBe('QUEUE_UNAVAILABLE');
    await redis.up();
    const counts = await waitFor(
      () => service.queueCounts('inbound').catch(() => undefined),
      (c) => c !== undefined,
      { what: 'Redis back' },
    );
    expect(Object.values(counts!).every((count) => count === 0)).toBe(true);
  });
});
