import { Api } from './support/api';
import { http } from './support/http';
import { startTestService, TestService } from './support/test-service';
import { SEED_EXAMPLES } from './fixtures/seed-examples';

/** Every rejected request: the problem+json answer, and nothing queued or stored. */
describe('Custom Inbound: validation and authentication', () => {
  let service: TestService;
  let api: Api;
  let apiKey: string;

  beforeAll(async () => {
    service = await startTestService();
    // Only rejected requests are sent with this account's key, so it must end with no trace.
    api = await Api.forAccount(service, 'acc-validation');
    ({ apiKey } = await api.newCustomIntegration());
  });
  afterAll(() => service.close());

  async function expectRejected(body: unknown, status: number, code: string, paths: string[] = []) {
    const response = await api.send(apiKey, body);
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.body).toMatchObject({ status, code, correlationId: expect.any(String) });
    const reported = response.body.errors.map((e: { path: string }) => e.path);
    for (const path of paths) expect(reported).toContain(path);
    return response.body;
  }

  async function expectNothingStored() {
    const events = await api.filter({});
    expect(events.body.items).toEqual([]);
    const state = await api.sandboxState();
    expect(state.calls.filter((c: any) => c.accountId === 'acc-validation')).toEqual([]);
    const waiting = await service.queueCounts('inbound');
    expect(waiting).toEqual(
      expect.objectContaining({ waiting: 0, active: 0, delayed: 0, completed: 0, failed: 0 }),
    );
  }

  describe('rejects bad payloads for every action, naming each failing path', () => {
    it('inventory.set', () =>
      expectRejected(
        {
          action: 'inventory.set',
          data: {
            items: [{ sku: 'A', quantity: 1 }, { sku: '', quantity: 1.5 }, { quantity: -1 }],
          },
        },
        400,
        'VALIDATION_FAILED',
        [
          'data.items[1].sku',
          'data.items[1].quantity',
          'data.items[2].sku',
          'data.items[2].quantity',
        ],
      ));

    it('inventory.set with an empty item list', () =>
      expectRejected({ action: 'inventory.set', data: { items: [] } }, 400, 'VALIDATION_FAILED', [
        'data.items',
      ]));

    it('inventory.adjust', () =>
      expectRejected(
        {
          action: 'inventory.adjust',
          data: {
            items: [
              { sku: 'A', adjustment: 0 },
              { sku: 'B', adjustment: '2' },
            ],
          },
        },
        400,
        'VALIDATION_FAILED',
        ['data.items[0].adjustment', 'data.items[1].adjustment'],
      ));

    it('order.create', () =>
      expectRejected(
        {
          action: 'order.create',
          data: {
            customer: { email: 'not-an-email' },
            lineItems: [{ sku: 'A', quantity: 0, unitPrice: -1 }],
          },
        },
        400,
        'VALIDATION_FAILED',
        [
          'data.externalId',
          'data.customer.email',
          'data.lineItems[0].quantity',
          'data.lineItems[0].unitPrice',
        ],
      ));

    it('order.update without entityId or changes', () =>
      expectRejected({ action: 'order.update', data: {} }, 400, 'VALIDATION_FAILED', [
        'entityId',
        'data.status',
      ]));

    it('order.update with an unknown status', () =>
      expectRejected(
        { action: 'order.update', entityId: 'ord_1', data: { status: 'teleported' } },
        400,
        'VALIDATION_FAILED',
        ['data.status'],
      ));

    it('product.upsert', () =>
      expectRejected(
        { action: 'product.upsert', data: { products: [{ sku: 'A', sellingPrice: -5 }] } },
        400,
        'VALIDATION_FAILED',
        ['data.products[0].name', 'data.products[0].sellingPrice'],
      ));

    it('price.set', () =>
      expectRejected(
        { action: 'price.set', data: { items: [{ sku: 'A' }, { sku: 'B', costPrice: -1 }] } },
        400,
        'VALIDATION_FAILED',
        ['data.items[0].sellingPrice', 'data.items[1].costPrice'],
      ));

    it('customer.upsert', () =>
      expectRejected(
        { action: 'customer.upsert', data: { email: 'nope', phone: 'call me' } },
        400,
        'VALIDATION_FAILED',
        ['data.email', 'data.phone'],
      ));

    it('unknown fields anywhere', () =>
      expectRejected(
        {
          action: 'price.set',
          extra: 1,
          data: { items: [{ sku: 'A', costPrice: 1, colour: 'red' }] },
        },
        400,
        'VALIDATION_FAILED',
        ['extra', 'data.items[0].colour'],
      ));

    it('missing action and data', () =>
      expectRejected({}, 400, 'VALIDATION_FAILED', ['action', 'data']));

    it('an unknown action, naming the supported ones', async () => {
      const problem = await expectRejected(
        { action: 'stock.teleport', data: {} },
        400,
        'UNKNOWN_ACTION',
      );
      expect(problem.detail).toContain('inventory.set');
      expect(problem.detail).toContain('customer.upsert');
    });
  });

  it('malformed JSON → 400 MALFORMED_JSON', async () => {
    const response = await http(`${service.url}/integrations/custom/inbound`, {
      token: apiKey,
      rawBody: '{"action": "inventory.set",',
    });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('MALFORMED_JSON');
  });

  it('a body over 1 MiB → 413', async () => {
    const big = {
      action: 'customer.upsert',
      data: { email: 'a@b.se', firstName: 'x'.repeat(1024 * 1024) },
    };
    const response = await api.send(apiKey, big);
    expect(response.status).toBe(413);
    expect(response.body.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('no key or an unknown key → 401', async () => {
    const none = await api.send(undefined, SEED_EXAMPLES['price.set']);
    expect(none.status).toBe(401);
    expect(none.body.code).toBe('INVALID_API_KEY');
    const unknown = await api.send('avvyr_int_live_notARealKey', SEED_EXAMPLES['price.set']);
    expect(unknown.status).toBe(401);
  });

  it('a key in the query string is refused', async () => {
    const response = await http(
      `${service.url}/integrations/custom/inbound?access_token=${apiKey}`,
      {
        body: SEED_EXAMPLES['price.set'],
      },
    );
    expect(response.status).toBe(401);
  });

  it('a disabled integration → 403', async () => {
    const other = await api.newCustomIntegration();
    const disable = await http(`${service.url}/v1/integrations/${other.id}`, {
      method: 'PATCH',
      token: api.managementToken,
      body: { enabled: false },
    });
    expect(disable.status).toBe(200);
    expect(disable.body.enabled).toBe(false);
    const refused = await api.send(other.apiKey, SEED_EXAMPLES['price.set']);
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('INTEGRATION_DISABLED');
  });

  it('the key of a non-custom (avasam) integration → 403', async () => {
    const avasam = await api.createIntegration({
      service: 'avasam',
      name: 'Avasam supplier feed',
      settings: {
        consumerKey: 'ck-1',
        secretKey: 'sk-1',
        verificationToken: 'verification-token-0001',
      },
    });
    expect(avasam.status).toBe(201);
    const refused = await api.send(avasam.body.apiKey, SEED_EXAMPLES['price.set']);
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('INTEGRATION_SERVICE_MISMATCH');
  });

  it('the management API refuses missing, forged and other-algorithm tokens', async () => {
    const none = await http(`${service.url}/v1/integrations`);
    expect(none.status).toBe(401);
    const forged = await http(`${service.url}/v1/integrations`, {
      token: `${api.managementToken}x`,
    });
    expect(forged.status).toBe(401);
    const unsigned =
      Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url') +
      '.' +
      Buffer.from(JSON.stringify({ sub: 'x', accountId: 'acc-validation' })).toString('base64url') +
      '.';
    const algNone = await http(`${service.url}/v1/integrations`, { token: unsigned });
    expect(algNone.status).toBe(401);
    expect(algNone.body.code).toBe('INVALID_MANAGEMENT_TOKEN');
  });

  it('management input is validated too', async () => {
    const response = await api.createIntegration({ service: 'shopify', enabled: 'yes', name: '' });
    expect(response.status).toBe(400);
    const paths = response.body.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['service', 'enabled', 'name']));
  });

  it('rejected requests left nothing behind: no event, no job, no backend call', async () => {
    await expectNothingStored();
  });
});
