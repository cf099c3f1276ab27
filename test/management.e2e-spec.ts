import { createHash } from 'node:crypto';
import mongoose from 'mongoose';
import { Api } from './support/api';
import { http, waitFor } from './support/http';
import { startTestService, TestService } from './support/test-service';
import { signManagementToken } from '../src/modules/integrations/auth/management-token.service';
import { SEED_EXAMPLES } from './fixtures/seed-examples';

describe('Management API: integrations, keys, tenant isolation', () => {
  let service: TestService;
  let alice: Api;
  let bob: Api;
  let db: mongoose.Connection;

  beforeAll(async () => {
    service = await startTestService();
    alice = await Api.forAccount(service, 'acc-alice');
    bob = await Api.forAccount(service, 'acc-bob');
    db = await mongoose.createConnection(service.env.MONGODB_URI).asPromise();
  });
  afterAll(async () => {
    await db.close();
    await service.close();
  });

  it('creates an integration and shows its key once; reads never show it', async () => {
    const created = await alice.createIntegration({ name: 'My ERP Sync' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: expect.any(String),
      service: 'custom',
      name: 'My ERP Sync',
      enabled: true,
      apiKeyPrefix: expect.stringMatching(/^avvyr_int_live_.{4}…$/),
      createdAt: expect.any(String),
    });
    // 256 random bits, base64url: 43 characters after the prefix.
    expect(created.body.apiKey).toMatch(/^avvyr_int_live_[A-Za-z0-9_-]{43}$/);

    const read = await http(`${service.url}/v1/integrations/${created.body.id}`, {
      token: alice.managementToken,
    });
    expect(read.status).toBe(200);
    expect(read.body.apiKey).toBeUndefined();
    const list = await http(`${service.url}/v1/integrations`, { token: alice.managementToken });
    expect(list.body.map((i: { id: string }) => i.id)).toContain(created.body.id);
    expect(JSON.stringify(list.body)).not.toContain(created.body.apiKey);
  });

  it('stores only the SHA-256 of the key on the document, and the key encrypted in the SecretStore', async () => {
    const { id, apiKey } = await alice.newCustomIntegration();
    const doc = await db
      .collection('integrations')
      .findOne({ _id: new mongoose.Types.ObjectId(id) });
    expect(doc!.apiKeyHash).toBe(createHash('sha256').update(apiKey).digest('hex'));
    expect(JSON.stringify(doc)).not.toContain(apiKey);
    const secret = await db
      .collection('secrets')
      .findOne({ _id: `integration/${id}/api-key` as never });
    expect(secret).toMatchObject({
      iv: expect.any(String),
      tag: expect.any(String),
      ciphertext: expect.any(String),
    });
    expect(JSON.stringify(secret)).not.toContain(apiKey);
  });

  it('keeps accounts apart: another account sees 404 and an empty list', async () => {
    const { id, apiKey } = await alice.newCustomIntegration();
    const get = await http(`${service.url}/v1/integrations/${id}`, { token: bob.managementToken });
    expect(get.status).toBe(404);
    expect(get.body.code).toBe('INTEGRATION_NOT_FOUND');
    const patch = await http(`${service.url}/v1/integrations/${id}`, {
      method: 'PATCH',
      token: bob.managementToken,
      body: { enabled: false },
    });
    expect(patch.status).toBe(404);
    const regenerate = await http(`${service.url}/v1/integrations/${id}/regenerate-key`, {
      method: 'POST',
      token: bob.managementToken,
    });
    expect(regenerate.status).toBe(404);
    const list = await http(`${service.url}/v1/integrations`, { token: bob.managementToken });
    expect(list.body).toEqual([]);

    const accepted = await alice.send(apiKey, SEED_EXAMPLES['price.set']);
    await alice.waitForStatus(accepted.body.messageId, 'succeeded');
    expect((await bob.event(accepted.body.messageId)).status).toBe(404);
    expect((await bob.retry(accepted.body.messageId)).status).toBe(404);
    expect((await bob.filter({})).body.items).toEqual([]);
    expect((await alice.filter({})).body.items.map((e: any) => e.messageId)).toContain(
      accepted.body.messageId,
    );
  });

  it('regenerating the key answers a new one and the old key gets 401 at once', async () => {
    const { id, apiKey: oldKey } = await alice.newCustomIntegration();
    expect((await alice.send(oldKey, SEED_EXAMPLES['price.set'])).status).toBe(202);
    const regenerated = await http(`${service.url}/v1/integrations/${id}/regenerate-key`, {
      method: 'POST',
      token: alice.managementToken,
    });
    expect(regenerated.status).toBe(200);
    expect(regenerated.body.apiKey).toMatch(/^avvyr_int_live_/);
    expect(regenerated.body.apiKey).not.toBe(oldKey);
    expect((await alice.send(oldKey, SEED_EXAMPLES['price.set'])).status).toBe(401);
    expect((await alice.send(regenerated.body.apiKey, SEED_EXAMPLES['price.set'])).status).toBe(
      202,
    );
  });

  it('renames and re-enables an integration; a disabled key stops within a second', async () => {
    const { id, apiKey } = await alice.newCustomIntegration();
    const disabled = await http(`${service.url}/v1/integrations/${id}`, {
      method: 'PATCH',
      token: alice.managementToken,
      body: { enabled: false, name: 'Paused ERP' },
    });
    expect(disabled.body).toMatchObject({ enabled: false, name: 'Paused ERP' });
    await waitFor(
      () => alice.send(apiKey, SEED_EXAMPLES['price.set']),
      (r) => r.status === 403,
      { timeoutMs: 1000, what: 'disabled key refused' },
    );
    await http(`${service.url}/v1/integrations/${id}`, {
      method: 'PATCH',
      token: alice.managementToken,
      body: { enabled: true },
    });
    expect((await alice.send(apiKey, SEED_EXAMPLES['price.set'])).status).toBe(202);
  });

  it('refuses unknown fields and a custom integration with settings', async () => {
    const extra = await alice.createIntegration({ colour: 'red' });
    expect(extra.status).toBe(400);
    expect(extra.body.errors[0].path).toBe('colour');
    const settings = await alice.createIntegration({ settings: { foo: 1 } });
    expect(settings.status).toBe(400);
    expect(settings.body.errors[0].path).toBe('settings');
  });

  it('an unknown or malformed id is a 404', async () => {
    for (const id of ['000000000000000000000000', 'not-an-id']) {
      const response = await http(`${service.url}/v1/integrations/${id}`, {
        token: alice.managementToken,
      });
      expect(response.status).toBe(404);
    }
  });

  it('an expired token is a 401 that says it expired, in words', async () => {
    const key = new TextEncoder().encode(service.env.MANAGEMENT_JWT_SECRET);
    const expired = await signManagementToken(
      key,
      { sub: 'old', accountId: 'acc-old' },
      Math.floor(Date.now() / 1000) - 60,
    );
    const response = await http(`${service.url}/v1/integrations`, { token: expired });
    expect(response.status).toBe(401);
    expect(response.body.code).toBe('MANAGEMENT_TOKEN_EXPIRED');
    expect(response.body.detail).toMatch(/^The management token expired at \d{4}-/);
    expect(response.body.detail).not.toContain('claim');
  });
});
