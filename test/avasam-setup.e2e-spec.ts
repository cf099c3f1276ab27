import { randomUUID } from 'node:crypto';
import { Api } from './support/api';
import { AvasamWorld, iso } from './support/avasam';
import { http } from './support/http';
import { startTestService, TestService } from './support/test-service';

const KEYS = {
  consumerKey: 'ck-2f1d6b0e-93aa-4a55-b8b4-6f0a1c2d3e4f',
  secretKey: 'sk-QmV5b25kIHRoZSBzaWxlbmNlIG9mIHRoZSBrZXlz',
  verificationToken: 'vt-0b6e8d1f5c2a4e7f9a3b',
};

describe('Avasam: setting up an integration, and the sandbox Avasam', () => {
  let service: TestService;
  let api: Api;
  let avasam: AvasamWorld;

  beforeAll(async () => {
    service = await startTestService({ PUBLIC_BASE_URL: 'https://hooks.example.com/' });
    api = await Api.forAccount(service, 'acc-avasam-setup');
    avasam = new AvasamWorld(api);
  });
  afterAll(() => service.close());

  const expectNoSecrets = (body: unknown) => {
    const text = JSON.stringify(body);
    for (const secret of Object.values(KEYS)) expect(text).not.toContain(secret);
  };

  it('creates an integration whose reads show masked secrets and the two webhook URLs', async () => {
    const created = await avasam.createIntegration(KEYS);
    expect(created.status).toBe(201);
    const id = created.body.id;
    const base = `https://hooks.example.com/webhooks/avasam/${id}`;
    const expected = {
      consumerKey: '********3e4f',
      secretKey: '********',
      verificationToken: '********',
      warehouseId: 'avasam',
      priceField: 'costPrice',
      priceAcknowledgementPath: null,
      stockUpdateUrl: `${base}/stock-update`,
      priceUpdateUrl: `${base}/price-update`,
    };
    expect(created.body).toMatchObject({ service: 'avasam', settings: expected });
    expectNoSecrets(created.body);
    const read = await avasam.integration(id);
    expect(read.body.settings).toEqual(expected);
    expectNoSecrets(read.body);
    const listed = await http(`${service.url}/v1/integrations`, { token: api.managementToken });
    expectNoSecrets(listed.body);

    // Stored as SecretStore references; the SecretStore holds ciphertext only.
    expect(await avasam.count('integrations', { 'settings.secretKeyRef': { $exists: true } })).toBe(
      1,
    );
    expect(await avasam.count('integrations', { 'settings.secretKey': { $exists: true } })).toBe(0);
    expect(await avasam.count('secrets', { _id: { $regex: `^integration/${id}/avasam/` } })).toBe(
      3,
    );
    expect(await avasam.count('secrets', { ciphertext: KEYS.secretKey })).toBe(0);
  });

  it('refuses bad settings with a path per problem', async () => {
    const missing = await avasam.createIntegration({});
    expect(missing.status).toBe(400);
    expect(missing.body.errors.map((e: any) => e.path)).toEqual([
      'settings.consumerKey',
      'settings.secretKey',
      'settings.verificationToken',
    ]);
    const bad = await avasam.createIntegration({
      ...KEYS,
      verificationToken: 'short',
      priceField: 'rrp',
      priceAcknowledgementPath: '../admin',
      warehouse: 'typo',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: any) => e.path)).toEqual(
      expect.arrayContaining([
        'settings.verificationToken',
        'settings.priceField',
        'settings.priceAcknowledgementPath',
        'settings.warehouse',
      ]),
    );
    expect((await avasam.createIntegration({ ...KEYS, consumerKey: 42 })).status).toBe(400);
  });

  it('PATCH keeps the secrets not sent, replaces those sent, and null clears an option', async () => {
    const created = await avasam.createIntegration(KEYS, { name: 'Patched' });
    const id = created.body.id;
    const stockUrl = `${service.url}/webhooks/avasam/${id}/stock-update`;
    const notify = async (secret: string) => {
      const requestId = randomUUID();
      const token = await avasam.sign({ requestId }, secret);
      return avasam.post(stockUrl, { requestId, token, data: [] });
    };

    const moved = await avasam.patchIntegration(id, {
      settings: { warehouseId: 'wh-2', priceField: 'sellingPrice' },
    });
    expect(moved.status).toBe(200);
    expect(moved.body.settings).toMatchObject({
      consumerKey: '********3e4f',
      secretKey: '********',
      verificationToken: '********',
      warehouseId: 'wh-2',
      priceField: 'sellingPrice',
    });
    expect((await notify(KEYS.verificationToken)).status).toBe(200);

    const rotated = await avasam.patchIntegration(id, {
      settings: { verificationToken: 'vt-rotated-0123456789abcdef', consumerKey: 'ck-new-9z9z' },
    });
    expect(rotated.body.settings).toMatchObject({
      consumerKey: '********9z9z',
      warehouseId: 'wh-2',
    });
    expectNoSecrets(rotated.body);
    const old = await notify(KEYS.verificationToken);
    expect(old.status).toBe(401);
    expect(old.body.code).toBe('WEBHOOK_SIGNATURE_INVALID');
    expect((await notify('vt-rotated-0123456789abcdef')).status).toBe(200);

    const cleared = await avasam.patchIntegration(id, { settings: { warehouseId: null } });
    expect(cleared.body.settings.warehouseId).toBe('avasam');
    const invalid = await avasam.patchIntegration(id, { settings: { secretKey: '' } });
    expect(invalid.status).toBe(400);
  });

  describe('sandbox Avasam', () => {
    const sandbox = (path: string) => `${service.url}/sandbox/avasam/${path}`;

    it('issues tokens with an expiry for a known key pair and refuses wrong keys', async () => {
      const seller = (await http(sandbox('sellers'), { body: { tokenTtlSeconds: 120 } })).body;
      expect(seller).toMatchObject({
        consumerKey: expect.any(String),
        secretKey: expect.any(String),
      });
      const issued = await http(sandbox('api/auth/request-token'), {
        body: { consumer_key: seller.consumerKey, secret_key: seller.secretKey },
      });
      expect(issued.status).toBe(200);
      expect(issued.body.expires_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}\+00:00$/);
      const lifetime = Date.parse(issued.body.expires_at) - Date.now();
      expect(lifetime).toBeGreaterThan(100_000);
      expect(lifetime).toBeLessThanOrEqual(120_000);

      const wrong = await http(sandbox('api/auth/request-token'), {
        body: { consumer_key: seller.consumerKey, secret_key: 'guess' },
      });
      expect(wrong.status).toBe(401);

      const ack = (token: string, body: unknown = { requestId: 'req-1' }) =>
        http(sandbox('api-seller/Product/AcknowledgeStockUpdate'), {
          body,
          headers: { authorization: token },
        });
      expect((await ack(issued.body.access_token)).status).toBe(200);
      expect((await ack(`Bearer ${issued.body.access_token}`)).status).toBe(401);
      expect((await ack(issued.body.access_token, {})).status).toBe(400);
      await http(sandbox(`sellers/${seller.consumerKey}/expire-tokens`), { method: 'POST' });
      expect((await ack(issued.body.access_token)).status).toBe(401);

      const state = (await http(sandbox('state'))).body;
      expect(state.acknowledgements).toEqual([
        expect.objectContaining({ kind: 'stock', requestId: 'req-1' }),
      ]);
      expect(JSON.stringify(state)).not.toContain(seller.secretKey);
    });

    it('answers injected faults, then behaves again', async () => {
      await http(sandbox('faults'), { body: { action: 'request-token', status: 503, times: 1 } });
      const body = { consumer_key: 'nobody', secret_key: 'nothing' };
      expect((await http(sandbox('api/auth/request-token'), { body })).status).toBe(503);
      expect((await http(sandbox('api/auth/request-token'), { body })).status).toBe(401);
    });

    it('the test button needs the endpoint and verification token entered first', async () => {
      const seller = (await http(sandbox('sellers'), { body: {} })).body;
      const pressed = await http(sandbox(`sellers/${seller.consumerKey}/test-button`), {
        body: { kind: 'stock', data: [{ sku: 'X', quantity: 1, updatedOn: iso() }] },
      });
      expect(pressed.status).toBe(409);
      expect((await http(sandbox('sellers/nobody/test-button'), { body: {} })).status).toBe(404);
    });
  });
});
