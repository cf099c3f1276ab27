import { Webhook } from 'standardwebhooks';
import { Api } from './support/api';
import { http, waitFor } from './support/http';
import { startTestService, TestService } from './support/test-service';
import { SEED_EXAMPLES } from './fixtures/seed-examples';

describe('Failure notifications: Standard Webhooks deliveries and the sandbox receiver', () => {
  let service: TestService;
  let api: Api;

  beforeAll(async () => {
    service = await startTestService({
      NOTIFICATIONS_ATTEMPTS: '4',
      NOTIFICATIONS_BACKOFF_MS: '50',
    });
    api = await Api.forAccount(service, 'acc-notify');
  });
  afterAll(() => service.close());

  const base = (id: string) => `${service.url}/v1/integrations/${id}/notifications`;
  const receiverUrl = (id: string) => `${service.url}/sandbox/receiver?integrationId=${id}`;
  const settings = (id: string, body?: unknown, token = api.managementToken) =>
    http(base(id), { method: body === undefined ? 'GET' : 'PUT', token, body });
  const deliveries = (id: string, query = '') =>
    http(`${base(id)}/deliveries${query}`, { token: api.managementToken });
  const received = async (id: string) =>
    (await http(`${service.url}/sandbox/receiver?integrationId=${id}`)).body.deliveries as any[];
  const failInventorySet = () =>
    api.injectFault({ action: 'inventory.set', status: 422, times: 1 });

  /** A custom integration whose notifications go to the sandbox receiver; its secret. */
  async function subscribed(events?: string[]) {
    const integration = await api.newCustomIntegration();
    const put = await settings(integration.id, {
      url: receiverUrl(integration.id),
      ...(events && { events }),
    });
    expect(put.status).toBe(200);
    return { ...integration, secret: put.body.secret as string };
  }

  /** The delivery with this id once it has left `pending`. */
  async function settledDelivery(integrationId: string, deliveryId: string) {
    const page = await waitFor(
      () => deliveries(integrationId),
      (r) => r.body.items?.some((d: any) => d.id === deliveryId && d.status !== 'pending'),
      { what: `delivery ${deliveryId} to settle` },
    );
    return page.body.items.find((d: any) => d.id === deliveryId);
  }

  it('generates a secret on the first PUT only, and never shows it again', async () => {
    const { id } = await api.newCustomIntegration();
    expect((await settings(id)).body.code).toBe('NOTIFICATIONS_NOT_CONFIGURED');
    const first = await settings(id, { url: receiverUrl(id) });
    expect(first.body).toMatchObject({ url: receiverUrl(id), events: ['message.failed'] });
    expect(first.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(first.body.secret.startsWith(first.body.secretPrefix)).toBe(true);

    const again = await settings(id, { url: receiverUrl(id), events: ['message.succeeded'] });
    expect(again.body).not.toHaveProperty('secret');
    expect(again.body.secretPrefix).toBe(first.body.secretPrefix);
    const read = await settings(id);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ events: ['message.succeeded'] });
    expect(read.body).not.toHaveProperty('secret');
  });

  it('refuses bad settings with a problem naming the field, and stores nothing', async () => {
    const { id } = await api.newCustomIntegration();
    const cases: [unknown, string][] = [
      [{}, 'url'],
      [{ url: 'not a url' }, 'url'],
      [{ url: 'ftp://example.com/x' }, 'url'],
      [{ url: 'https://u:p@example.com/' }, 'url'],
      [{ url: 'https://example.com/', events: [] }, 'events'],
      [{ url: 'https://example.com/', events: ['message.exploded'] }, 'events'],
      [{ url: 'https://example.com/', events: ['message.failed', 'message.failed'] }, 'events'],
      [{ url: 'https://example.com/', secret: 'whsec_mine' }, 'secret'],
      [{ url: null }, 'url'],
    ];
    for (const [body, path] of cases) {
      const answer = await settings(id, body);
      expect({ body, status: answer.status, code: answer.body.code }).toEqual({
        body,
        status: 400,
        code: 'VALIDATION_FAILED',
      });
      expect(answer.body.errors.map((e: any) => e.path)).toContain(path);
    }
    expect((await settings(id)).status).toBe(404);
  });

  it("keeps another account's integration invisible (404)", async () => {
    const { id } = await subscribed();
    const other = await service.token('acc-other');
    for (const answer of [
      await settings(id, undefined, other),
      await settings(id, { url: 'https://example.com/' }, other),
      await http(`${base(id)}/deliveries`, { token: other }),
      await http(`${base(id)}/test`, { method: 'POST', token: other }),
    ])
      expect([answer.status, answer.body.code]).toEqual([404, 'INTEGRATION_NOT_FOUND']);
  });

  it('a failed message produces one signed notification, which the sandbox receiver verifies', async () => {
    const integration = await subscribed();
    await failInventorySet();
    const accepted = await api.send(integration.apiKey, SEED_EXAMPLES['inventory.set']);
    const messageId = accepted.body.messageId;
    const event = await api.waitForStatus(messageId, 'failed');

    const deliveryId = `msg_${messageId}_failed_0`;
    const delivery = await settledDelivery(integration.id, deliveryId);
    expect(delivery).toMatchObject({
      type: 'message.failed',
      messageId,
      status: 'succeeded',
      attempts: 1,
      maxAttempts: 4,
      lastResponse: { status: 204 },
    });
    const [got] = await received(integration.id);
    expect(await received(integration.id)).toHaveLength(1);
    expect(got).toMatchObject({ verified: true, answered: 204 });
    expect(got.headers['webhook-id']).toBe(deliveryId);
    expect(got.body).toEqual({
      type: 'message.failed',
      timestamp: event.completedAt,
      data: expect.objectContaining({
        messageId,
        integrationId: integration.id,
        source: 'inbound',
        action: 'inventory.set',
        status: 'failed',
        attempts: 1,
        error: expect.objectContaining({ code: 'AVVYR_HTTP_422', httpStatus: 422 }),
      }),
    });
    // Verified here too, independently of the receiver, with the secret the PUT showed.
    expect(() =>
      new Webhook(integration.secret).verify(JSON.stringify(got.body), got.headers),
    ).not.toThrow();
    // Only subscribed types: a succeeding message sends nothing. A failure queued after it
    // is received, and the queue is idle, by then a notification of the success would be too.
    const ok = await api.send(integration.apiKey, SEED_EXAMPLES['customer.upsert']);
    await api.waitForStatus(ok.body.messageId, 'succeeded');
    await failInventorySet();
    const second = await api.send(integration.apiKey, SEED_EXAMPLES['inventory.set']);
    await api.waitForStatus(second.body.messageId, 'failed');
    await settledDelivery(integration.id, `msg_${second.body.messageId}_failed_0`);
    await waitFor(
      () => service.queueCounts('notifications'),
      (counts) => counts.waiting + counts.active + counts.prioritized === 0,
      { what: 'the notifications queue to be idle' },
    );
    const all = (await received(integration.id)).map((d) => d.body.data.messageId);
    expect(all).toEqual([messageId, second.body.messageId]);
    const listed = (await deliveries(integration.id)).body.items.map((d: any) => d.type);
    expect(listed).toEqual(['message.failed', 'message.failed']);
  });

  it('a receiver answering 500 gets retries with backoff, under the same webhook-id', async () => {
    const integration = await subscribed();
    await http(`${service.url}/sandbox/receiver/faults`, { body: { status: 500, times: 2 } });
    await failInventorySet();
    const accepted = await api.send(integration.apiKey, SEED_EXAMPLES['inventory.set']);
    await api.waitForStatus(accepted.body.messageId, 'failed');

    const deliveryId = `msg_${accepted.body.messageId}_failed_0`;
    const delivery = await settledDelivery(integration.id, deliveryId);
    expect(delivery).toMatchObject({ status: 'succeeded', attempts: 3 });
    const got = await received(integration.id);
    expect(got.map((d) => d.answered)).toEqual([500, 500, 204]);
    expect(new Set(got.map((d) => d.headers['webhook-id']))).toEqual(new Set([deliveryId]));
    expect(got.every((d) => d.verified)).toBe(true);
    // Exponential: the second retry waited at least twice the base delay after the first.
    const times = got.map((d) => Date.parse(d.at));
    expect(times[1] - times[0]).toBeGreaterThanOrEqual(50);
    expect(times[2] - times[1]).toBeGreaterThanOrEqual(100);
  });

  it('gives up after NOTIFICATIONS_ATTEMPTS and keeps the last answer', async () => {
    const integration = await subscribed();
    await http(`${service.url}/sandbox/receiver/faults`, { body: { status: 503, times: 4 } });
    await failInventorySet();
    const accepted = await api.send(integration.apiKey, SEED_EXAMPLES['inventory.set']);
    await api.waitForStatus(accepted.body.messageId, 'failed');
    const delivery = await settledDelivery(
      integration.id,
      `msg_${accepted.body.messageId}_failed_0`,
    );
    expect(delivery).toMatchObject({
      status: 'failed',
      attempts: 4,
      lastResponse: { status: 503, body: '{"error":"sandbox receiver fault"}' },
    });
    expect(delivery).not.toHaveProperty('nextAttemptAt');
    expect((await deliveries(integration.id, '?status=failed')).body.items).toHaveLength(1);
    expect((await deliveries(integration.id, '?status=succeeded')).body.items).toHaveLength(0);
    expect((await deliveries(integration.id, '?limit=0')).status).toBe(400);
  });

  it('a signature made with another secret does not verify (401, verified: false)', async () => {
    const integration = await subscribed();
    const body = JSON.stringify({
      type: 'message.failed',
      timestamp: new Date().toISOString(),
      data: { integrationId: integration.id },
    });
    const wrong = new Webhook(`whsec_${Buffer.from('w'.repeat(32)).toString('base64')}`);
    const now = new Date();
    const answer = await http(receiverUrl(integration.id), {
      rawBody: body,
      headers: {
        'webhook-id': 'msg_forged',
        'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
        'webhook-signature': wrong.sign('msg_forged', now, body),
      },
    });
    expect([answer.status, answer.body.code]).toEqual([401, 'WEBHOOK_SIGNATURE_INVALID']);
    const [got] = await received(integration.id);
    expect(got).toMatchObject({
      verified: false,
      reason: 'No matching signature found',
      answered: 401,
    });
  });

  it('rotating the secret signs the next deliveries with the new one only', async () => {
    const integration = await subscribed();
    const rotated = await http(`${base(integration.id)}/rotate-secret`, {
      method: 'POST',
      token: api.managementToken,
    });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(integration.secret);

    const test = await http(`${base(integration.id)}/test`, {
      method: 'POST',
      token: api.managementToken,
    });
    expect(test.status).toBe(200);
    expect(test.body).toMatchObject({
      type: 'message.test',
      status: 'succeeded',
      attempts: 1,
      lastResponse: { status: 204 },
    });
    const [got] = await received(integration.id);
    expect(got).toMatchObject({ verified: true, body: { type: 'message.test' } });
    const raw = JSON.stringify(got.body);
    expect(() => new Webhook(rotated.body.secret).verify(raw, got.headers)).not.toThrow();
    expect(() => new Webhook(integration.secret).verify(raw, got.headers)).toThrow(
      'No matching signature found',
    );
  });

  it('a test to an unreachable URL answers with the failure, and is not retried', async () => {
    const integration = await subscribed();
    await settings(integration.id, { url: 'http://127.0.0.1:1/nothing-listens-here' });
    const test = await http(`${base(integration.id)}/test`, {
      method: 'POST',
      token: api.managementToken,
    });
    expect(test.body).toMatchObject({
      status: 'failed',
      attempts: 1,
      maxAttempts: 1,
      lastResponse: { error: expect.stringContaining('could not connect') },
    });
  });

  it('message.succeeded and message.superseded when subscribed', async () => {
    const integration = await subscribed(['message.succeeded', 'message.superseded']);
    const item = { sku: 'NOTIFY-SKU-1', quantity: 5, warehouseId: 'wh-01' };
    const newer = await api.send(integration.apiKey, {
      action: 'inventory.set',
      occurredAt: '2026-06-01T10:00:00.000Z',
      data: { items: [item] },
    });
    await api.waitForStatus(newer.body.messageId, 'succeeded');
    const older = await api.send(integration.apiKey, {
      action: 'inventory.set',
      occurredAt: '2026-06-01T09:00:00.000Z',
      data: { items: [{ ...item, quantity: 1 }] },
    });
    await api.waitForStatus(older.body.messageId, 'succeeded');
    const got = await waitFor(
      () => received(integration.id),
      (list) => list.length === 3,
      { what: 'three notifications' },
    );
    const seen = got.map((d) => `${d.body.type} ${d.body.data.messageId}`).sort();
    expect(seen).toEqual(
      [
        `message.succeeded ${newer.body.messageId}`,
        `message.succeeded ${older.body.messageId}`,
        `message.superseded ${older.body.messageId}`,
      ].sort(),
    );
    const superseded = got.find((d) => d.body.type === 'message.superseded');
    expect(superseded.body.data.superseded).toMatchObject({ count: 1 });
    expect(got.every((d) => d.verified)).toBe(true);
  });

  it("honours the receiver's Retry-After, and a DELETE meanwhile ends the delivery failed", async () => {
    const integration = await subscribed();
    await http(`${service.url}/sandbox/receiver/faults`, {
      body: { status: 503, times: 1, retryAfterSeconds: 2 },
    });
    await failInventorySet();
    const accepted = await api.send(integration.apiKey, SEED_EXAMPLES['inventory.set']);
    await api.waitForStatus(accepted.body.messageId, 'failed');
    const deliveryId = `msg_${accepted.body.messageId}_failed_0`;
    const pending = await waitFor(
      () => deliveries(integration.id),
      (r) => r.body.items?.some((d: any) => d.id === deliveryId),
      { what: 'the first attempt' },
    );
    const first = pending.body.items[0];
    expect(first).toMatchObject({ status: 'pending', attempts: 1, lastResponse: { status: 503 } });
    const waitMs = Date.parse(first.nextAttemptAt) - Date.parse(first.lastResponse.at);
    expect(waitMs).toBeGreaterThanOrEqual(1900);

    await http(base(integration.id), { method: 'DELETE', token: api.managementToken });
    const delivery = await settledDelivery(integration.id, deliveryId);
    expect(delivery).toMatchObject({
      status: 'failed',
      attempts: 2,
      lastResponse: { error: 'notifications were turned off' },
    });
    expect(await received(integration.id)).toHaveLength(1);
  });

  it('DELETE stops notifications and forgets the secret', async () => {
    const integration = await subscribed();
    const removed = await http(base(integration.id), {
      method: 'DELETE',
      token: api.managementToken,
    });
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ url: receiverUrl(integration.id) });
    expect(removed.body).not.toHaveProperty('secret');
    expect((await settings(integration.id)).status).toBe(404);
    const test = await http(`${base(integration.id)}/test`, {
      method: 'POST',
      token: api.managementToken,
    });
    expect([test.status, test.body.code]).toEqual([404, 'NOTIFICATIONS_NOT_CONFIGURED']);
  });
});

describe('Failure notifications with ROLE=api and ROLE=worker apart', () => {
  let apiService: TestService;
  let worker: TestService | undefined;

  beforeAll(async () => {
    apiService = await startTestService({ ROLE: 'api' });
  });
  afterAll(async () => {
    await worker?.running.close();
    await apiService?.close();
  });

  it('the API sends tests itself; the worker queues and sends the outcomes', async () => {
    const api = await Api.forAccount(apiService, 'acc-notify-roles');
    const { id, apiKey } = await api.newCustomIntegration();
    const base = `${apiService.url}/v1/integrations/${id}/notifications`;
    const url = `${apiService.url}/sandbox/receiver?integrationId=${id}`;
    expect(
      (await http(base, { method: 'PUT', token: api.managementToken, body: { url } })).status,
    ).toBe(200);
    const test = await http(`${base}/test`, { method: 'POST', token: api.managementToken });
    expect(test.body).toMatchObject({ status: 'succeeded' });

    await api.injectFault({ action: 'inventory.set', status: 422, times: 1 });
    const accepted = await api.send(apiKey, SEED_EXAMPLES['inventory.set']);
    worker = await startTestService({
      ROLE: 'worker',
      MONGODB_URI: apiService.env.MONGODB_URI,
      REDIS_URL: apiService.env.REDIS_URL,
      QUEUE_PREFIX: apiService.env.QUEUE_PREFIX,
      AVVYR_API_URL: `${apiService.url}/sandbox/avvyr`,
    });
    await api.waitForStatus(accepted.body.messageId, 'failed');
    const got = await waitFor(
      async () => (await http(url)).body.deliveries as any[],
      (list) => list.length === 2,
      { what: 'the failure notification' },
    );
    expect(got.map((d) => [d.body.type, d.verified])).toEqual([
      ['message.test', true],
      ['message.failed', true],
    ]);
  }, 60_000);
});
