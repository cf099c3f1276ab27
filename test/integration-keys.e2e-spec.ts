import { queuePrefix } from '../src/config/redis';
import { Queue } from 'bullmq';
import { INBOUND_QUEUE } from '../src/modules/inbound/inbound-queue';
import { Api } from './support/api';
import { http, HttpResult, waitFor } from './support/http';
import { ServiceProcess } from './support/service-process';
import { startTestService, TestService } from './support/test-service';

const setStock = (sku: string) => ({
  action: 'inventory.set',
  data: { items: [{ sku, quantity: 1 }] },
});
const newOrder = {
  action: 'order.create',
  data: {
    externalId: 'ERP-ORDER-1',
    customer: { email: 'a@example.com' },
    lineItems: [{ sku: 'CHAIR-UNO-BLK', quantity: 1, unitPrice: 10 }],
  },
};

const rateHeaders = (r: HttpResult) => ({
  limit: r.headers.get('ratelimit-limit'),
  remaining: r.headers.get('ratelimit-remaining'),
  reset: r.headers.get('ratelimit-reset'),
  policy: r.headers.get('ratelimit-policy'),
});

describe('Scoped keys, key rolling with grace, per-key rate limits', () => {
  let service: TestService;
  let api: Api;
  let queue: Queue;

  beforeAll(async () => {
    // API only: nothing processes the jobs, so the queue shows exactly what was accepted.
    service = await startTestService({ ROLE: 'api' });
    api = await Api.forAccount(service, 'acc-keys');
    queue = new Queue(INBOUND_QUEUE, {
      connection: { url: service.env.REDIS_URL },
      prefix: queuePrefix(service.env),
    });
  });
  afterAll(async () => {
    await queue?.close();
    await service?.close();
  });

  const integrationUrl = (id: string) => `${service.url}/v1/integrations/${id}`;
  const manage = (path: string, body?: unknown, method?: string) =>
    http(`${service.url}/v1/integrations/${path}`, {
      token: api.managementToken,
      body,
      method,
    });
  const sendBatch = (apiKey: string, messages: unknown[]) =>
    http(`${service.url}/integrations/custom/inbound/batch`, {
      token: apiKey,
      body: { messages },
    });
  const queuedFor = async (integrationId: string) =>
    (await queue.getJobs(['waiting', 'prioritized', 'delayed', 'waiting-children'])).filter(
      (job) => job.data.context.integrationId === integrationId,
    ).length;

  describe('allowedActions', () => {
    it('defaults to all seven, and a custom integration shows its limit in force', async () => {
      const created = await api.createIntegration();
      expect(created.status).toBe(201);
      expect(created.body.allowedActions).toEqual([
        'inventory.set',
        'inventory.adjust',
        'order.create',
        'order.update',
        'product.upsert',
        'price.set',
        'customer.upsert',
      ]);
      expect(created.body.rateLimit).toEqual({ perSecond: 100_000, burst: 1_000_000 });
      expect(created.body.previousApiKey).toBeNull();
    });

    it('another action is a 403 ACTION_NOT_ALLOWED naming the allowed ones, and nothing is queued', async () => {
      const created = await api.createIntegration({
        allowedActions: ['inventory.set', 'price.set'],
      });
      expect(created.status).toBe(201);
      expect(created.body.allowedActions).toEqual(['inventory.set', 'price.set']);
      const { id, apiKey } = created.body;

      const refused = await api.send(apiKey, newOrder);
      expect(refused.status).toBe(403);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect(refused.body.code).toBe('ACTION_NOT_ALLOWED');
      expect(refused.body.detail).toContain('inventory.set, price.set');
      expect(await queuedFor(id)).toBe(0);

      expect((await api.send(apiKey, setStock('SCOPED-1'))).status).toBe(202);
      expect(await queuedFor(id)).toBe(1);
    });

    it('a batch refuses the disallowed messages one by one; 403 only when none is allowed', async () => {
      const created = await api.createIntegration({ allowedActions: ['inventory.set'] });
      const { id, apiKey } = created.body;

      const mixed = await sendBatch(apiKey, [setStock('SCOPED-B1'), newOrder]);
      expect(mixed.status).toBe(202);
      expect(mixed.body).toMatchObject({ accepted: 1, rejected: 1 });
      expect(mixed.body.results[1]).toEqual({
        index: 1,
        status: 403,
        code: 'ACTION_NOT_ALLOWED',
        errors: [{ path: 'messages[1].action', message: 'action must be one of: inventory.set' }],
      });
      expect(await queuedFor(id)).toBe(1);

      const none = await sendBatch(apiKey, [newOrder, newOrder]);
      expect(none.status).toBe(403);
      expect(none.body.code).toBe('ACTION_NOT_ALLOWED');
      expect(none.body.errors.map((e: any) => e.path)).toEqual([
        'messages[0].action',
        'messages[1].action',
      ]);
      // A batch with an invalid message besides the refused ones keeps the 400.
      const invalid = await sendBatch(apiKey, [newOrder, { action: 'inventory.set', data: {} }]);
      expect(invalid.status).toBe(400);
      expect(invalid.body.code).toBe('VALIDATION_FAILED');
      expect(await queuedFor(id)).toBe(1);
    });

    it('PATCH changes it at once; null goes back to all actions; bad values are 400s that change nothing', async () => {
      const { id, apiKey } = await api.newCustomIntegration();
      const patched = await http(integrationUrl(id), {
        method: 'PATCH',
        token: api.managementToken,
        body: { allowedActions: ['price.set'] },
      });
      expect(patched.status).toBe(200);
      expect(patched.body.allowedActions).toEqual(['price.set']);
      expect((await api.send(apiKey, setStock('SCOPED-P1'))).body.code).toBe('ACTION_NOT_ALLOWED');

      for (const [body, path] of [
        [{ allowedActions: [] }, 'allowedActions'],
        [{ allowedActions: ['stock.set'] }, 'allowedActions'],
        [{ allowedActions: ['price.set', 'price.set'] }, 'allowedActions'],
        [{ rateLimit: { perSecond: 3, burst: 4 } }, 'rateLimit.burst'],
        [{ rateLimit: { perSecond: 1, burst: 61 } }, 'rateLimit.burst'],
        [{ rateLimit: { perSecond: 0, burst: 10 } }, 'rateLimit.perSecond'],
        [{ rateLimit: { perSecond: 1 } }, 'rateLimit.burst'],
      ] as const) {
        const bad = await http(integrationUrl(id), {
          method: 'PATCH',
          token: api.managementToken,
          body,
        });
        expect({ body, status: bad.status }).toEqual({ body, status: 400 });
        expect(bad.body.errors.map((e: any) => e.path)).toContain(path);
      }
      const unchanged = await http(integrationUrl(id), { token: api.managementToken });
      expect(unchanged.body.allowedActions).toEqual(['price.set']);

      const reset = await http(integrationUrl(id), {
        method: 'PATCH',
        token: api.managementToken,
        body: { allowedActions: null },
      });
      expect(reset.body.allowedActions).toHaveLength(7);
      expect((await api.send(apiKey, setStock('SCOPED-P2'))).status).toBe(202);
    });
  });

  describe('regenerate-key with graceSeconds', () => {
    it('both keys work during the grace, then only the new one; no old-key 202 after its end', async () => {
      const { id, apiKey: oldKey } = await api.newCustomIntegration();
      const before = await http(integrationUrl(id), { token: api.managementToken });
      const rolled = await manage(`${id}/regenerate-key`, { graceSeconds: 3 });
      expect(rolled.status).toBe(200);
      const newKey: string = rolled.body.apiKey;
      expect(newKey).not.toBe(oldKey);
      expect(rolled.body.previousApiKey.prefix).toBe(before.body.apiKeyPrefix);
      const expiresAt = Date.parse(rolled.body.previousApiKey.expiresAt);
      expect(expiresAt - Date.now()).toBeGreaterThan(1000);
      expect(expiresAt - Date.now()).toBeLessThanOrEqual(3000);
      const read = await http(integrationUrl(id), { token: api.managementToken });
      expect(read.body.previousApiKey).toEqual(rolled.body.previousApiKey);
      expect(read.body.apiKeyPrefix).toBe(rolled.body.apiKeyPrefix);

      expect((await api.send(oldKey, setStock('ROLL-OLD'))).status).toBe(202);
      expect((await api.send(newKey, setStock('ROLL-NEW'))).status).toBe(202);

      // The old key, sent again and again (its lookup stays cached): 202 until its end, never after.
      const answers: { startedAt: number; status: number }[] = [];
      await waitFor(
        async () => {
          const startedAt = Date.now();
          const answer = await api.send(oldKey, setStock('ROLL-OLD'));
          answers.push({ startedAt, status: answer.status });
          return answer.status;
        },
        (status) => status === 401,
        { timeoutMs: 8000, intervalMs: 20, what: 'the old key to stop at the end of its grace' },
      );
      const lateAccepts = answers.filter((a) => a.status === 202 && a.startedAt >= expiresAt);
      expect(lateAccepts).toEqual([]);
      // Refused soon after the end (the margin is for a busy CI, not for the key's cache).
      expect(answers.at(-1)!.startedAt).toBeLessThan(expiresAt + 2000);
      expect((await api.send(newKey, setStock('ROLL-NEW'))).status).toBe(202);
      const after = await http(integrationUrl(id), { token: api.managementToken });
      expect(after.body.previousApiKey).toBeNull();
    });

    it('without a body (or 0) the old key stops at once; a roll during a grace ends the earlier key at once', async () => {
      const { id, apiKey: first } = await api.newCustomIntegration();
      const noBody = await http(`${integrationUrl(id)}/regenerate-key`, {
        method: 'POST',
        token: api.managementToken,
      });
      expect(noBody.status).toBe(200);
      expect(noBody.body.previousApiKey).toBeNull();
      expect((await api.send(first, setStock('ROLL-0'))).status).toBe(401);

      const second: string = noBody.body.apiKey;
      const graced = await manage(`${id}/regenerate-key`, { graceSeconds: 3600 });
      const third: string = graced.body.apiKey;
      expect((await api.send(second, setStock('ROLL-G'))).status).toBe(202);
      const again = await manage(`${id}/regenerate-key`, { graceSeconds: 0 });
      expect(again.body.previousApiKey).toBeNull();
      expect((await api.send(second, setStock('ROLL-G'))).status).toBe(401);
      expect((await api.send(third, setStock('ROLL-G'))).status).toBe(401);
      expect((await api.send(again.body.apiKey, setStock('ROLL-G'))).status).toBe(202);
    });

    it('graceSeconds outside 0–86,400 is a 400 and the key stays', async () => {
      const { id, apiKey } = await api.newCustomIntegration();
      for (const graceSeconds of [-1, 86_401, 1.5, '60']) {
        const bad = await manage(`${id}/regenerate-key`, { graceSeconds });
        expect({ graceSeconds, status: bad.status }).toEqual({ graceSeconds, status: 400 });
        expect(bad.body.errors[0].path).toBe('graceSeconds');
      }
      expect((await manage(`${id}/regenerate-key`, { grace: 5 })).status).toBe(400);
      expect((await api.send(apiKey, setStock('ROLL-BAD'))).status).toBe(202);
    });
  });

  describe('rate limit', () => {
    it('a burst above the limit: 202s with RateLimit headers, then 429s with Retry-After, nothing queued for them', async () => {
      const created = await api.createIntegration({ rateLimit: { perSecond: 1, burst: 5 } });
      expect(created.body.rateLimit).toEqual({ perSecond: 1, burst: 5 });
      const { id, apiKey } = created.body;
      const answers: HttpResult[] = [];
      for (let i = 0; i < 8; i++) answers.push(await api.send(apiKey, setStock(`RL-${i}`)));

      expect(answers.map((a) => a.status)).toEqual([202, 202, 202, 202, 202, 429, 429, 429]);
      expect(answers.map((a) => a.headers.get('ratelimit-remaining'))).toEqual([
        '4',
        '3',
        '2',
        '1',
        '0',
        '0',
        '0',
        '0',
      ]);
      for (const answer of answers) {
        const headers = rateHeaders(answer);
        expect(headers.limit).toBe('5');
        expect(headers.policy).toBe('5;w=5');
        expect(Number(headers.reset)).toBeGreaterThanOrEqual(0);
        expect(Number(headers.reset)).toBeLessThanOrEqual(5);
      }
      const limited = answers[5];
      expect(limited.headers.get('content-type')).toContain('application/problem+json');
      expect(limited.body).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
      const retryAfter = Number(limited.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(5);
      expect(await queuedFor(id)).toBe(5);

      const metrics = await http(`${service.url}/metrics`);
      expect(metrics.body).toContain(`avvyr_messages_rate_limited_total{integration="${id}"} 3`);

      // Once the window is over, messages are taken again.
      const later = await waitFor(
        () => api.send(apiKey, setStock('RL-LATER')),
        (r) => r.status === 202,
        { timeoutMs: 8000, intervalMs: 250, what: 'the next window' },
      );
      expect(later.headers.get('ratelimit-remaining')).toBe('4');
    });

    it('headers on every answer of an authenticated request (a 400 counts), none on a 401', async () => {
      const { apiKey } = (await api.createIntegration({ rateLimit: { perSecond: 10, burst: 20 } }))
        .body;
      const invalid = await api.send(apiKey, { action: 'inventory.set', data: {} });
      expect(invalid.status).toBe(400);
      expect(rateHeaders(invalid)).toMatchObject({ limit: '20', remaining: '19' });
      const unknownKey = await api.send('avvyr_int_live_nope', setStock('RL-401'));
      expect(unknownKey.status).toBe(401);
      expect(unknownKey.headers.get('ratelimit-limit')).toBeNull();
    });

    it('a batch counts its messages: one that does not fit is a 429 as a whole, nothing queued', async () => {
      const { id, apiKey } = (
        await api.createIntegration({ rateLimit: { perSecond: 1, burst: 10 } })
      ).body;
      const batch = (n: number, tag: string) =>
        Array.from({ length: n }, (_, i) => setStock(`RLB-${tag}-${i}`));

      const eight = await sendBatch(apiKey, batch(8, 'a'));
      expect(eight.status).toBe(202);
      expect(rateHeaders(eight)).toMatchObject({ limit: '10', remaining: '2' });
      const three = await sendBatch(apiKey, batch(3, 'b'));
      expect(three.status).toBe(429);
      expect(three.body.code).toBe('RATE_LIMITED');
      expect(three.headers.get('retry-after')).not.toBeNull();
      expect(rateHeaders(three)).toMatchObject({ remaining: '2' });
      expect(await queuedFor(id)).toBe(8);
      // The refused batch was not counted: two still fit.
      const two = await sendBatch(apiKey, batch(2, 'c'));
      expect(two.status).toBe(202);
      expect(rateHeaders(two)).toMatchObject({ remaining: '0' });
      // A batch larger than the whole burst could never fit: a 400, not a 429 to retry forever.
      const eleven = await sendBatch(apiKey, batch(11, 'd'));
      expect(eleven.status).toBe(400);
      expect(eleven.body.errors[0].path).toBe('messages');
      expect(await queuedFor(id)).toBe(10);
    });

    it('two API processes share one limit', async () => {
      const other = await ServiceProcess.start('integration-keys-api-2', {
        ROLE: 'api',
        MONGODB_URI: service.env.MONGODB_URI,
        REDIS_URL: service.env.REDIS_URL,
        QUEUE_PREFIX: service.env.QUEUE_PREFIX,
      });
      try {
        const { id, apiKey } = (
          await api.createIntegration({ rateLimit: { perSecond: 1, burst: 6 } })
        ).body;
        const urls = [service.url, other.url];
        const answers: { via: number; status: number; remaining: string | null }[] = [];
        for (let i = 0; i < 10; i++) {
          const via = i % 2;
          const answer = await http(`${urls[via]}/integrations/custom/inbound`, {
            token: apiKey,
            body: setStock(`RL-2P-${i}`),
          });
          answers.push({ via, status: answer.status, remaining: rateHeaders(answer).remaining });
        }
        expect(answers.map((a) => a.status)).toEqual([
          202, 202, 202, 202, 202, 202, 429, 429, 429, 429,
        ]);
        // One count: each process sees the other's messages.
        expect(answers.slice(0, 6).map((a) => a.remaining)).toEqual(['5', '4', '3', '2', '1', '0']);
        expect(await queuedFor(id)).toBe(6);
      } finally {
        await other.stop();
      }
    }, 120_000);
  });
});
