import { Types } from 'mongoose';
import { Api } from './support/api';
import { http } from './support/http';
import { startTestService, TestService } from './support/test-service';

/**
 * Bodies that are valid JSON but that the service must refuse with a 400 problem (or a 415 for
 * what is not JSON at all), never a 500, a crash or a silent change of the data (issue 10,
 * defects 5, 8 and 12).
 */
describe('Hostile bodies: depth, media type, Unicode, big numbers, huge error lists', () => {
  let service: TestService;
  let api: Api;
  let apiKey: string;
  let integrationId: string;
  const deep = (depth: number, inner = '1') => '['.repeat(depth) + inner + ']'.repeat(depth);

  beforeAll(async () => {
    service = await startTestService();
    api = await Api.forAccount(service, 'acc-hostile');
    ({ apiKey, id: integrationId } = await api.newCustomIntegration());
  });
  afterAll(() => service.close());

  function send(
    method: string,
    path: string,
    rawBody: string,
    token?: string,
    headers?: Record<string, string>,
  ) {
    return http(`${service.url}${path}`, { method, rawBody, token, headers });
  }

  async function expectAlive() {
    const live = await http(`${service.url}/health/live`);
    expect(live.status).toBe(200);
  }

  function expectProblem(response: { status: number; headers: Headers; body: any }, code: string) {
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.body).toMatchObject({ code, correlationId: expect.any(String) });
  }

  describe('deep nesting is a 400 VALIDATION_FAILED, everywhere (defect 5)', () => {
    const webhook = () => `/webhooks/avasam/${new Types.ObjectId().toHexString()}`;
    const cases: [string, string, () => string, () => string, () => string | undefined][] = [
      [
        'a 5,000-deep array inside an inventory item',
        'POST',
        () => '/integrations/custom/inbound',
        () =>
          `{"action":"inventory.set","data":{"items":[{"sku":"A","quantity":1,"x":${deep(5000)}}]}}`,
        () => apiKey,
      ],
      [
        '`action` as a 20,000-deep array',
        'POST',
        () => '/integrations/custom/inbound',
        () => `{"action":${deep(20000)},"data":{}}`,
        () => apiKey,
      ],
      [
        '`data` 5,000 deep',
        'POST',
        () => '/integrations/custom/inbound',
        () => `{"action":"customer.upsert","data":${deep(5000, '{}')}}`,
        () => apiKey,
      ],
      [
        'the Avasam stock webhook',
        'POST',
        () => `${webhook()}/stock-update`,
        () => `{"requestId":"r1","token":"t","data":[{"sku":"A","quantity":${deep(5000)}}]}`,
        () => undefined,
      ],
      [
        'the Avasam price webhook',
        'POST',
        () => `${webhook()}/price-update`,
        () => `{"requestId":${deep(20000)},"token":"t","data":[]}`,
        () => undefined,
      ],
      [
        'POST /v1/integrations settings',
        'POST',
        () => '/v1/integrations',
        () =>
          `{"service":"avasam","enabled":true,"name":"x","settings":{"consumerKey":${deep(5000)}}}`,
        () => api.managementToken,
      ],
      [
        'PATCH /v1/integrations/{id} settings',
        'PATCH',
        () => `/v1/integrations/${integrationId}`,
        () => `{"settings":${deep(5000, '{}')}}`,
        () => api.managementToken,
      ],
      [
        'events/filter',
        'POST',
        () => '/v1/integrations/events/filter',
        () => `{"integrationId":${deep(20000)}}`,
        () => api.managementToken,
      ],
    ];
    it.each(cases)('%s', async (_name, method, path, body, token) => {
      const response = await send(method, path(), body(), token());
      expect(response.status).toBe(400);
      expectProblem(response, 'VALIDATION_FAILED');
      expect(response.body.errors[0].message).toMatch(/nested more than 32 levels deep/);
      await expectAlive();
    });

    it('32 levels are still accepted as JSON (then judged by the schema)', async () => {
      // {"action":…,"data":{"items":[{"sku":…,"quantity":1,"x":[[…31 levels…]]}]}} is 36 deep.
      const response = await send(
        'POST',
        '/integrations/custom/inbound',
        `{"action":"inventory.set","data":{"items":[{"sku":"A","quantity":1,"x":${deep(28)}}]}}`,
        apiKey,
      );
      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([
        { path: 'data.items[0].x', message: 'property x should not exist' },
      ]);
    });
  });

  describe('a body that is not JSON is a 415 (defect 8)', () => {
    const inbound = () => apiKey;
    const management = () => api.managementToken;
    const none = () => undefined;
    it.each([
      ['text/plain', 'POST', '/integrations/custom/inbound', inbound],
      ['text/plain', 'POST', '/v1/integrations', management],
      ['text/plain', 'PATCH', '/v1/integrations/:id', management],
      ['text/plain', 'POST', '/v1/integrations/events/filter', management],
      ['text/plain', 'POST', '/webhooks/avasam/:id/stock-update', none],
      ['application/xml', 'POST', '/integrations/custom/inbound', inbound],
    ])('%s to %s %s', async (type, method, path, token) => {
      const response = await send(
        method,
        path.replace(':id', integrationId),
        '{"action":"inventory.set"}',
        token(),
        { 'content-type': type },
      );
      expect(response.status).toBe(415);
      expectProblem(response, 'UNSUPPORTED_MEDIA_TYPE');
    });

    it('a body without any Content-Type', async () => {
      const response = await fetch(`${service.url}/integrations/custom/inbound`, {
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey}` },
        body: new TextEncoder().encode('{"action":"inventory.set","data":{}}'),
      });
      expect(response.status).toBe(415);
      expect(((await response.json()) as { code: string }).code).toBe('UNSUPPORTED_MEDIA_TYPE');
    });

    it('application/json with a charset is JSON', async () => {
      const response = await send(
        'POST',
        '/integrations/custom/inbound',
        '{"action":"inventory.set","data":{"items":[{"sku":"CS-1","quantity":1}]}}',
        apiKey,
        { 'content-type': 'application/json; charset=utf-8' },
      );
      expect(response.status).toBe(202);
    });
  });

  describe('Unicode and numbers JavaScript cannot hold exactly (defect 12)', () => {
    it.each([
      ['a lone high surrogate in a value', { sku: '\ud800', quantity: 1 }, 'data.items[0].sku'],
      ['a lone low surrogate in a value', { sku: 'A\udc00B', quantity: 1 }, 'data.items[0].sku'],
      ['a lone surrogate in a key', { sku: 'A', quantity: 1, '\ud800': 1 }, 'data.items[0].\ufffd'],
    ])('%s is refused', async (_name, item, path) => {
      const response = await api.send(apiKey, { action: 'inventory.set', data: { items: [item] } });
      expect(response.status).toBe(400);
      expectProblem(response, 'VALIDATION_FAILED');
      expect(response.body.errors).toContainEqual({
        path,
        message: expect.stringMatching(/lone surrogate/),
      });
    });

    it('a paired surrogate (an emoji) is fine', async () => {
      const response = await api.send(apiKey, {
        action: 'product.upsert',
        data: { products: [{ sku: 'EMOJI-1', name: 'Chair 🪑' }] },
      });
      expect(response.status).toBe(202);
    });

    it.each([
      ['2^53 + 1', '9007199254740993'],
      ['-(2^53 + 1)', '-9007199254740993'],
      ['1e300', '1e300'],
    ])('%s is refused, not rounded', async (_name, number) => {
      const response = await send(
        'POST',
        '/integrations/custom/inbound',
        `{"action":"inventory.adjust","data":{"items":[{"sku":"BIG","adjustment":${number}}]}}`,
        apiKey,
      );
      expect(response.status).toBe(400);
      expect(response.body.errors).toContainEqual({
        path: 'data.items[0].adjustment',
        message: expect.stringMatching(/between -9007199254740991 and 9007199254740991/),
      });
    });

    it('Number.MAX_SAFE_INTEGER itself is accepted', async () => {
      const response = await send(
        'POST',
        '/integrations/custom/inbound',
        '{"action":"inventory.set","data":{"items":[{"sku":"MAX","quantity":9007199254740991}]}}',
        apiKey,
      );
      expect(response.status).toBe(202);
    });
  });

  describe('50,000 unknown keys: a short answer (defect 12)', () => {
    const unknownKeys = (target: Record<string, unknown>) => {
      for (let i = 0; i < 50_000; i++) target[`k${i}`] = 1;
      return target;
    };

    it.each([
      [
        'in an item',
        { action: 'inventory.set', data: { items: [unknownKeys({ sku: 'A', quantity: 1 })] } },
      ],
      ['in the envelope', unknownKeys({ action: 'inventory.set', data: { items: [] } })],
      ['in a management body', unknownKeys({ service: 'custom', enabled: true, name: 'x' })],
    ])('%s', async (name, body) => {
      const path = name.includes('management')
        ? '/v1/integrations'
        : '/integrations/custom/inbound';
      const token = name.includes('management') ? api.managementToken : apiKey;
      const response = await send('POST', path, JSON.stringify(body), token);
      expect(response.status).toBe(400);
      expect(response.body.errors).toHaveLength(100);
      expect(response.body.detail).toMatch(/\b500\d\d errors; the first 100 are listed/);
      expect(JSON.stringify(response.body).length).toBeLessThan(20_000);
      // The speed half of defect 12 (was 2.4–3.5 s) is not timed here: a CPU-bound time is noise
      // on a shared CI machine. The test timeout still catches a validator that hangs.
    });
  });
});
