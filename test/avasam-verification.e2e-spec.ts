import { randomUUID } from 'node:crypto';
import { generateKeyPair, SignJWT, UnsecuredJWT } from 'jose';
import { Api } from './support/api';
import { AvasamWorld, iso, WiredSeller } from './support/avasam';
import { http } from './support/http';
import { startTestService, TestService } from './support/test-service';

const now = () => Math.floor(Date.now() / 1000);
const items = () => [{ sku: 'AVA-VERIFY', quantity: 5, updatedOn: iso() }];

describe('Avasam webhooks: verified before anything else', () => {
  let service: TestService;
  let api: Api;
  let avasam: AvasamWorld;
  let seller: WiredSeller;

  beforeAll(async () => {
    service = await startTestService();
    api = await Api.forAccount(service, 'acc-avasam-verify');
    avasam = new AvasamWorld(api);
    seller = await avasam.wire();
  });
  afterAll(() => service.close());

  /** Nothing stored, queued or sent for a refused notification. */
  async function expectNothingLeftBehind(requestId: string) {
    const messageId = avasam.messageId(seller, 'stock', requestId);
    expect((await api.event(messageId)).status).toBe(404);
    const events = await api.filter({ integrationId: seller.integrationId });
    expect(events.body.items).toEqual([]);
    expect(await avasam.count('integration_events')).toBe(0);
    expect(await avasam.count('avasam_sku_watermarks')).toBe(0);
    const jobs = await avasam.queueCounts();
    expect(Object.values(jobs).every((count) => count === 0)).toBe(true);
    expect((await api.sandboxState()).calls).toEqual([]);
    expect((await avasam.sandboxState()).acknowledgements).toEqual([]);
  }

  const sign = (payload: Record<string, unknown>, secret = seller.verificationToken) =>
    avasam.sign(payload, secret);

  const refusals: [string, (requestId: string) => Promise<Record<string, unknown>>, string][] = [
    ['a missing token', async (requestId) => ({ requestId }), 'WEBHOOK_TOKEN_MISSING'],
    [
      'a token signed with the wrong secret',
      async (requestId) => ({
        requestId,
        token: await sign({ requestId }, 'not-the-sellers-token'),
      }),
      'WEBHOOK_SIGNATURE_INVALID',
    ],
    [
      'an unsigned token (alg: none)',
      async (requestId) => ({ requestId, token: new UnsecuredJWT({ requestId }).encode() }),
      'WEBHOOK_TOKEN_ALGORITHM_REFUSED',
    ],
    [
      'a token signed with another HMAC algorithm (HS512)',
      async (requestId) => ({
        requestId,
        token: await new SignJWT({ requestId })
          .setProtectedHeader({ alg: 'HS512' })
          .sign(new TextEncoder().encode(seller.verificationToken)),
      }),
      'WEBHOOK_TOKEN_ALGORITHM_REFUSED',
    ],
    [
      'a token signed with an RSA key (RS256)',
      async (requestId) => {
        const { privateKey } = await generateKeyPair('RS256');
        const token = await new SignJWT({ requestId })
          .setProtectedHeader({ alg: 'RS256' })
          .sign(privateKey);
        return { requestId, token };
      },
      'WEBHOOK_TOKEN_ALGORITHM_REFUSED',
    ],
    [
      'a token with a tampered payload',
      async (requestId) => {
        const [header, , signature] = (await sign({ requestId: 'another-request' })).split('.');
        const payload = Buffer.from(JSON.stringify({ requestId })).toString('base64url');
        return { requestId, token: `${header}.${payload}.${signature}` };
      },
      'WEBHOOK_SIGNATURE_INVALID',
    ],
    [
      "a token signed for another requestId than the body's",
      async (requestId) => ({ requestId, token: await sign({ requestId: `${requestId}-other` }) }),
      'WEBHOOK_REQUEST_ID_MISMATCH',
    ],
    [
      'an expired token',
      async (requestId) => ({ requestId, token: await sign({ requestId, exp: now() - 120 }) }),
      'WEBHOOK_TOKEN_EXPIRED',
    ],
    [
      'a token not valid yet (nbf)',
      async (requestId) => ({ requestId, token: await sign({ requestId, nbf: now() + 600 }) }),
      'WEBHOOK_TOKEN_NOT_YET_VALID',
    ],
  ];

  it.each(refusals)('refuses %s with 401 and leaves nothing behind', async (_, build, code) => {
    const requestId = randomUUID();
    const answer = await avasam.post(seller.stockUpdateUrl, {
      on: iso(),
      data: items(),
      ...(await build(requestId)),
    });
    expect(answer.status).toBe(401);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    expect(answer.body).toMatchObject({ status: 401, code, correlationId: expect.any(String) });
    await expectNothingLeftBehind(requestId);
  });

  it('answers 404 for an unknown integration, or one that is not an Avasam integration', async () => {
    const requestId = randomUUID();
    const body = { requestId, token: await sign({ requestId }), data: items() };
    const unknown = await avasam.post(
      `${service.url}/webhooks/avasam/0123456789abcdef01234567/stock-update`,
      body,
    );
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('INTEGRATION_NOT_FOUND');
    expect(
      (await avasam.post(`${service.url}/webhooks/avasam/not-an-id/price-update`, body)).status,
    ).toBe(404);
    const custom = await api.newCustomIntegration();
    const notAvasam = await avasam.post(
      `${service.url}/webhooks/avasam/${custom.id}/stock-update`,
      body,
    );
    expect(notAvasam.status).toBe(404);
    await expectNothingLeftBehind(requestId);
  });

  it('answers 400 with every failing path for a malformed body, once the token is verified', async () => {
    const requestId = randomUUID();
    const token = await sign({ requestId });
    const bad = await avasam.post(seller.stockUpdateUrl, {
      requestId,
      token,
      data: [{ sku: 'AVA-1', quantity: -2, updatedOn: 'last tuesday' }, { quantity: 1.5 }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    expect(bad.body.errors.map((e: any) => e.path)).toEqual(
      expect.arrayContaining([
        'data[0].quantity',
        'data[0].updatedOn',
        'data[1].sku',
        'data[1].quantity',
        'data[1].updatedOn',
      ]),
    );
    const price = await avasam.post(seller.priceUpdateUrl, {
      requestId,
      token,
      data: [{ sku: 'AVA-1', updatedOn: iso() }],
    });
    expect(price.status).toBe(400);
    expect(price.body.errors).toEqual([
      { path: 'data[0]', message: 'exactly one of price, sellingPrice or costPrice' },
    ]);
    const notJson = await http(seller.stockUpdateUrl, { rawBody: '{"requestId": ' });
    expect(notJson.status).toBe(400);
    expect(notJson.body.code).toBe('MALFORMED_JSON');
    const notObject = await avasam.post(seller.stockUpdateUrl, [requestId]);
    expect(notObject.status).toBe(400);
    await expectNothingLeftBehind(requestId);
  });

  it('answers 403 for a disabled integration (after verifying), and nothing is queued', async () => {
    const disabled = await avasam.wire();
    await avasam.patchIntegration(disabled.integrationId, { enabled: false });
    const requestId = randomUUID();
    const answer = await avasam.post(disabled.stockUpdateUrl, {
      requestId,
      token: await avasam.sign({ requestId }, disabled.verificationToken),
      data: items(),
    });
    expect(answer.status).toBe(403);
    expect(answer.body.code).toBe('INTEGRATION_DISABLED');
    const forged = await avasam.post(disabled.stockUpdateUrl, { requestId, data: items() });
    expect(forged.status).toBe(401);
    expect(await avasam.queueCounts()).toMatchObject({ waiting: 0, active: 0, completed: 0 });
  });

  it('a verified notification with an empty data list (the test button) is answered 200 and recorded', async () => {
    const pressed = await avasam.pressTest(seller, { data: [] });
    expect(pressed.status).toBe(200);
    expect(pressed.response).toMatchObject({ received: true, duplicate: false });
    const event = await api.waitForStatus(pressed.response.messageId, 'succeeded');
    expect(event.timeline.map((s: any) => s.step)).toEqual([
      'received',
      'processing',
      'test-notification',
      'succeeded',
    ]);
    expect(event).toMatchObject({
      source: 'avasam',
      externalId: pressed.requestId,
      payload: { requestId: pressed.requestId, data: [] },
      result: { applied: 0, superseded: 0, acknowledged: false },
    });
    expect((await api.sandboxState()).calls).toEqual([]);
    expect((await avasam.sandboxState()).acknowledgements).toEqual([]);
  });
});
