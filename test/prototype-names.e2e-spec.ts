import { Api } from './support/api';
import { AvasamWorld, iso } from './support/avasam';
import { http } from './support/http';
import { IsolatedService, startIsolatedService } from './support/isolated-service';
import type { TestService } from './support/test-service';

const NAMES = ['__proto__', 'constructor', 'prototype'];
const own = (record: Record<string, any>, key: string) =>
  Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;

/**
 * Names of Object.prototype's members as data (issue 10, defects 6 and 7): as SKU, warehouse,
 * e-mail or order id they are ordinary keys; as field names they are unknown fields. The service
 * runs as a process of its own, so a polluted Object.prototype that kills it shows as a death.
 */
describe('Object.prototype names as data and as keys', () => {
  let service: IsolatedService;
  let api: Api;
  let apiKey: string;

  beforeAll(async () => {
    service = await startIsolatedService();
    api = new Api({ url: service.url } as TestService, await service.token('acc-proto'));
    ({ apiKey } = await api.newCustomIntegration());
  }, 90_000);
  afterAll(() => service?.close());

  async function accepted(body: unknown): Promise<string> {
    const response = await api.send(apiKey, body);
    expect(response.status).toBe(202);
    return response.body.messageId;
  }

  async function expectStillAlive() {
    // The crash came 100–150 ms after the write (prom-client's GC observer): give it longer.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(service.alive()).toBe(true);
    expect((await http(`${service.url}/health/live`)).status).toBe(200);
  }

  describe('as SKU, warehouse, e-mail and order id (defect 6)', () => {
    it('inventory.set and inventory.adjust keep them as ordinary keys', async () => {
      const set = await accepted({
        action: 'inventory.set',
        data: {
          items: NAMES.flatMap((name, i) => [
            { sku: name, quantity: 10 + i, warehouseId: name },
            { sku: name, quantity: 20 + i },
            { sku: `SKU-${i}`, quantity: 30 + i, warehouseId: name },
          ]),
        },
      });
      expect((await api.waitForStatus(set, ['succeeded', 'failed'])).status).toBe('succeeded');
      const adjust = await accepted({
        action: 'inventory.adjust',
        data: { items: NAMES.map((name) => ({ sku: name, adjustment: 5, warehouseId: name })) },
      });
      expect((await api.waitForStatus(adjust, ['succeeded', 'failed'])).status).toBe('succeeded');

      const { inventory } = await api.sandboxState();
      NAMES.forEach((name, i) => {
        expect(own(own(inventory, name), name)).toBe(15 + i);
        expect(own(own(inventory, name), 'default')).toBe(20 + i);
        expect(own(own(inventory, `SKU-${i}`), name)).toBe(30 + i);
      });
      await expectStillAlive();
    });

    it('product.upsert, price.set and customer.upsert', async () => {
      const ids = [
        await accepted({
          action: 'product.upsert',
          data: { products: NAMES.map((sku) => ({ sku, name: `Product ${sku}` })) },
        }),
        await accepted({
          action: 'price.set',
          data: { items: NAMES.map((sku) => ({ sku, sellingPrice: 100 })) },
        }),
        ...(await Promise.all(
          NAMES.map((name) =>
            accepted({ action: 'customer.upsert', data: { email: `${name}@example.com` } }),
          ),
        )),
      ];
      for (const id of ids) {
        expect((await api.waitForStatus(id, ['succeeded', 'failed'])).status).toBe('succeeded');
      }
      const state = await api.sandboxState();
      for (const name of NAMES) {
        expect(own(state.products, name)).toMatchObject({ sku: name, name: `Product ${name}` });
        expect(own(state.prices, name)).toMatchObject({ sku: name, sellingPrice: 100 });
        expect(own(state.customers, `${name}@example.com`)).toMatchObject({
          email: `${name}@example.com`,
        });
      }
      await expectStillAlive();
    });

    it('order.create with such an externalId; order.update of such an id is a 404', async () => {
      for (const externalId of NAMES) {
        const created = await accepted({
          action: 'order.create',
          data: {
            externalId,
            customer: { email: 'buyer@example.com' },
            lineItems: [{ sku: 'A', quantity: 1, unitPrice: 1 }],
          },
        });
        const event = await api.waitForStatus(created, ['succeeded', 'failed']);
        expect(event).toMatchObject({ status: 'succeeded', result: { externalId } });
      }
      // No order has these ids: the sandbox must not find Object.prototype or Object under them.
      for (const entityId of NAMES) {
        const updated = await accepted({
          action: 'order.update',
          entityId,
          data: { status: 'shipped' },
        });
        const event = await api.waitForStatus(updated, ['succeeded', 'failed']);
        expect(event).toMatchObject({ status: 'failed', lastError: { httpStatus: 404 } });
      }
      const { orders } = await api.sandboxState();
      for (const id of NAMES) expect(own(orders, id)).toBeUndefined();
      await expectStillAlive();
    });

    it('an Avasam stock webhook for SKU __proto__ into warehouse constructor', async () => {
      const avasam = new AvasamWorld(api);
      const seller = await avasam.wire({ warehouseId: 'constructor' });
      const pressed = await avasam.pressTest(seller, {
        kind: 'stock',
        data: NAMES.map((sku, i) => ({ sku, quantity: 40 + i, updatedOn: iso() })),
      });
      expect(pressed.status).toBe(200);
      const event = await api.waitForStatus(pressed.response.messageId, ['succeeded', 'failed']);
      expect(event.status).toBe('succeeded');
      const { inventory } = await api.sandboxState();
      NAMES.forEach((sku, i) => expect(own(own(inventory, sku), 'constructor')).toBe(40 + i));
      // A second notification for the same SKUs goes through the watermarks of the first.
      const again = await avasam.pressTest(seller, {
        kind: 'stock',
        data: NAMES.map((sku) => ({ sku, quantity: 1, updatedOn: iso(-60_000) })),
      });
      const superseded = await api.waitForStatus(again.response.messageId, ['succeeded', 'failed']);
      expect(superseded.timeline.find((s: any) => s.step === 'superseded')?.detail.count).toBe(3);
      await expectStillAlive();
    });
  });

  describe('as field names: unknown fields like any other (defect 7)', () => {
    const PROTOTYPE_KEYS = [
      'hasOwnProperty',
      'constructor',
      'toString',
      'isPrototypeOf',
      '__defineGetter__',
      'valueOf',
      'propertyIsEnumerable',
    ];

    it.each(PROTOTYPE_KEYS)(
      '%s in an inbound item, in data and in a nested object',
      async (key) => {
        const item = {
          response: await api.send(apiKey, {
            action: 'inventory.set',
            data: { items: [{ sku: 'PK1', quantity: 1, [key]: 'x' }] },
          }),
          path: `data.items[0].${key}`,
        };
        const data = {
          response: await api.send(apiKey, {
            action: 'customer.upsert',
            data: { email: 'a@example.com', [key]: 'x' },
          }),
          path: `data.${key}`,
        };
        const nested = {
          response: await api.send(apiKey, {
            action: 'order.create',
            data: {
              externalId: 'E1',
              customer: { email: 'a@example.com', [key]: 'x' },
              lineItems: [{ sku: 'A', quantity: 1, unitPrice: 1 }],
            },
          }),
          path: `data.customer.${key}`,
        };
        for (const { response, path } of [item, data, nested]) {
          expect(response.status).toBe(400);
          expect(response.body.errors).toContainEqual({
            path,
            message: `property ${key} should not exist`,
          });
        }
      },
    );

    it.each(PROTOTYPE_KEYS)('%s in management and Avasam settings bodies', async (key) => {
      const create = await api.createIntegration({ [key]: 'x' });
      const filter = await api.filter({ [key]: 'x' });
      const settings = await api.createIntegration({
        service: 'avasam',
        settings: {
          consumerKey: 'ck',
          secretKey: 'sk',
          verificationToken: 'v'.repeat(16),
          [key]: 'x',
        },
      });
      expect([create.status, filter.status, settings.status]).toEqual([400, 400, 400]);
      expect(create.body.errors).toContainEqual({
        path: key,
        message: `property ${key} should not exist`,
      });
      expect(filter.body.errors).toContainEqual({
        path: key,
        message: `property ${key} should not exist`,
      });
      expect(settings.body.errors).toContainEqual({
        path: `settings.${key}`,
        message: `property ${key} should not exist`,
      });
    });

    it('an object with such keys sent where a string belongs is a 400, not a 500', async () => {
      const response = await api.send(apiKey, {
        action: 'inventory.set',
        data: { items: [{ sku: { constructor: 'x', toString: 'y' }, quantity: 1 }] },
      });
      expect(response.status).toBe(400);
      expect(response.body.errors).toContainEqual({
        path: 'data.items[0].sku',
        message: 'sku must be a string',
      });
    });

    it('nothing of the refused messages reached the backend', async () => {
      const { calls } = await api.sandboxState();
      const bodies = JSON.stringify(calls.map((c: any) => c.body));
      expect(bodies).not.toMatch(/"PK1"/);
      await expectStillAlive();
    });
  });
});
