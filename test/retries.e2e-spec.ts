import { Api } from './support/api';
import { startTestService, TestService } from './support/test-service';
import { SEED_EXAMPLES } from './fixtures/seed-examples';

describe('Processing: retries, permanent failures and manual retry', () => {
  let service: TestService;
  let api: Api;
  let apiKey: string;

  beforeAll(async () => {
    // 4 attempts, 50 ms base delay (set by startTestService).
    service = await startTestService();
    api = await Api.forAccount(service, 'acc-retries');
    ({ apiKey } = await api.newCustomIntegration());
  });
  afterAll(() => service.close());

  const callsFor = async (messageId: string) =>
    (await api.sandboxState()).calls.filter((c: any) => c.idempotencyKey === messageId);

  it('a transient backend failure is retried to success', async () => {
    await api.injectFault({ action: 'inventory.set', status: 503, times: 2 });
    const accepted = await api.send(apiKey, SEED_EXAMPLES['inventory.set']);
    const event = await api.waitForStatus(accepted.body.messageId, 'succeeded');
    expect(event.attempts).toBe(3);
    expect(event.timeline.map((s: any) => s.step)).toEqual([
      'received',
      'processing',
      'retrying',
      'processing',
      'retrying',
      'processing',
      'succeeded',
    ]);
    const retrying = event.timeline.find((s: any) => s.step === 'retrying');
    expect(retrying.error).toMatchObject({
      httpStatus: 503,
      retryable: true,
      code: 'AVVYR_HTTP_503',
    });
    expect((await callsFor(event.messageId)).map((c: any) => c.status)).toEqual([503, 503, 200]);
    expect((await api.sandboxState()).inventory['CHAIR-UNO-BLK']['wh-01']).toBe(42);
  });

  it.each([408, 425, 429, 500, 502])('%i is retried', async (status) => {
    await api.injectFault({ action: 'customer.upsert', status, times: 1 });
    const accepted = await api.send(apiKey, SEED_EXAMPLES['customer.upsert']);
    const event = await api.waitForStatus(accepted.body.messageId, 'succeeded');
    expect(event.attempts).toBe(2);
  });

  it('honours Retry-After over the backoff', async () => {
    await api.injectFault({ action: 'price.set', status: 429, times: 1, retryAfterSeconds: 1 });
    const accepted = await api.send(apiKey, SEED_EXAMPLES['price.set']);
    const retrying = await api.waitForStatus(accepted.body.messageId, 'retrying');
    const failedAt = Date.parse(retrying.timeline.find((s: any) => s.step === 'retrying').at);
    expect(Date.parse(retrying.nextAttemptAt) - failedAt).toBeGreaterThanOrEqual(1000);
    const done = await api.waitForStatus(accepted.body.messageId, 'succeeded');
    const calls = await callsFor(done.messageId);
    expect(Date.parse(calls[1].at) - Date.parse(calls[0].at)).toBeGreaterThanOrEqual(1000);
  });

  it('gives up after RETRY_ATTEMPTS and keeps the error', async () => {
    await api.injectFault({ action: 'product.upsert', status: 500, times: 10 });
    const accepted = await api.send(apiKey, SEED_EXAMPLES['product.upsert']);
    const event = await api.waitForStatus(accepted.body.messageId, 'failed');
    expect(event.attempts).toBe(4);
    expect(event.lastError).toMatchObject({ httpStatus: 500, retryable: true });
    expect(await callsFor(event.messageId)).toHaveLength(4);
    await fetch(`${service.url}/sandbox/avvyr/faults`, { method: 'DELETE' });
  });

  it('a permanent failure fails at once, keeps the backend error, and a manual retry succeeds', async () => {
    await api.injectFault({ action: 'order.create', status: 422, times: 1 });
    const accepted = await api.send(apiKey, SEED_EXAMPLES['order.create']);
    const failed = await api.waitForStatus(accepted.body.messageId, 'failed');
    expect(failed.attempts).toBe(1);
    expect(failed.lastError).toMatchObject({
      code: 'AVVYR_HTTP_422',
      httpStatus: 422,
      retryable: false,
      response: { detail: 'Injected fault 422' },
    });
    expect(failed.completedAt).toEqual(expect.any(String));
    expect(await service.jobState('inbound', failed.messageId)).toBe('failed');

    const retry = await api.retry(failed.messageId);
    expect(retry.status).toBe(202);
    expect(retry.body).toEqual({ messageId: failed.messageId, status: 'received' });
    const succeeded = await api.waitForStatus(failed.messageId, 'succeeded');
    expect(succeeded.attempts).toBe(2);
    expect(succeeded.result.id).toMatch(/^ord_/);
    const steps = succeeded.timeline.map((s: any) => s.step);
    expect(steps).toEqual([
      'received',
      'processing',
      'failed',
      'manual-retry',
      'processing',
      'succeeded',
    ]);
    const calls = await callsFor(failed.messageId);
    expect(calls.map((c: any) => c.status)).toEqual([422, 201]);
    const orders = Object.values((await api.sandboxState()).orders);
    expect(orders.filter((o: any) => o.externalId === 'ERP-ORDER-789')).toHaveLength(1);
  });

  it('only failed events can be retried', async () => {
    const accepted = await api.send(apiKey, SEED_EXAMPLES['customer.upsert']);
    await api.waitForStatus(accepted.body.messageId, 'succeeded');
    const retry = await api.retry(accepted.body.messageId);
    expect(retry.status).toBe(409);
    expect(retry.body.code).toBe('EVENT_NOT_RETRYABLE');
    expect((await api.retry('00000000-0000-0000-0000-000000000000')).status).toBe(404);
  });

  it('five concurrent retries of one failed event: one run, applied once', async () => {
    await api.injectFault({ action: 'price.set', status: 422, times: 1 });
    const accepted = await api.send(apiKey, SEED_EXAMPLES['price.set']);
    const failed = await api.waitForStatus(accepted.body.messageId, 'failed');
    // Was a 500 for one or two of them, and could queue a second run of the message.
    const answers = await Promise.all(Array.from({ length: 5 }, () => api.retry(failed.messageId)));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([202, 409, 409, 409, 409]);
    // Refused while the first held the message's retry lock, or once it had queued the run.
    for (const refused of answers.filter((a) => a.status === 409)) {
      expect(refused.body.code).toBe('EVENT_NOT_RETRYABLE');
    }
    const succeeded = await api.waitForStatus(failed.messageId, 'succeeded');
    const steps = succeeded.timeline.map((s: any) => `${s.step}:${s.run}`);
    expect(steps).toEqual([
      'received:0',
      'processing:0',
      'failed:0',
      'manual-retry:1',
      'processing:1',
      'succeeded:1',
    ]);
    expect((await callsFor(failed.messageId)).map((c: any) => c.status)).toEqual([422, 200]);
  });

  it('filters events by status, action and entity, newest first, with a cursor', async () => {
    const failed = await api.filter({ status: 'failed' });
    expect(failed.status).toBe(200);
    expect(failed.body.items.every((e: any) => e.status === 'failed')).toBe(true);

    const first = await api.filter({ limit: 2 });
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await api.filter({ limit: 2, cursor: first.body.nextCursor });
    const all = [...first.body.items, ...second.body.items];
    const times = all.map((e: any) => Date.parse(e.receivedAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(new Set(all.map((e: any) => e.messageId)).size).toBe(4);

    const byAction = await api.filter({ action: 'customer.upsert' });
    expect(byAction.body.items.length).toBeGreaterThan(0);
    expect(byAction.body.items.every((e: any) => e.action === 'customer.upsert')).toBe(true);

    const since = await api.filter({ from: new Date(Date.now() + 60_000).toISOString() });
    expect(since.body.items).toEqual([]);
    const bad = await api.filter({ status: 'exploded', limit: 0 });
    expect(bad.status).toBe(400);
  });
});
