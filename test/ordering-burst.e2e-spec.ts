import { randomBytes } from 'node:crypto';
import IORedis from 'ioredis';
import { Api } from './support/api';
import { startTestService, TestService } from './support/test-service';
import type { ServiceProcess } from './support/service-process';
import { startWorkerFor } from './support/worker-process';
import { queuePrefix } from '../src/config/redis';

const SKUS = 20;
const LEVELS = 15;

/**
 * The ordering guarantee with the moving parts of production: an API process, two worker
 * processes with 50 jobs each in flight, transient backend failures (BullMQ retries reorder
 * jobs) and a worker crash. Every SKU must end at the last level sent for it.
 */
describe('Ordering under load: two workers, transient failures, a worker crash', () => {
  let service: TestService;
  let api: Api;
  let apiKey: string;
  let redis: IORedis;
  const workers: ServiceProcess[] = [];

  beforeAll(async () => {
    service = await startTestService({ ROLE: 'api', RETRY_ATTEMPTS: '10' });
    api = await Api.forAccount(service, 'acc-burst');
    ({ apiKey } = await api.newCustomIntegration());
    redis = new IORedis(service.env.REDIS_URL);
    workers.push(
      ...(await Promise.all([
        startWorkerFor(service, 'burst-worker-1'),
        startWorkerFor(service, 'burst-worker-2'),
      ])),
    );
  }, 180_000);
  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.stop()));
    redis?.disconnect();
    await service?.close();
  });

  /** Sends level 1…LEVELS of every SKU, each level once the previous one was accepted. */
  async function burst(name: string, afterLevel?: (level: number) => Promise<void>) {
    const skus = Array.from(
      { length: SKUS },
      (_, i) => `${name}-${i}-${randomBytes(2).toString('hex')}`,
    );
    const ids: string[] = [];
    for (let level = 1; level <= LEVELS; level++) {
      const accepted = await Promise.all(
        skus.map((sku) =>
          api.send(apiKey, {
            action: 'inventory.set',
            data: { items: [{ sku, quantity: level * 10, warehouseId: 'wh-01' }] },
          }),
        ),
      );
      for (const response of accepted) {
        expect(response.status).toBe(202);
        ids.push(response.body.messageId);
      }
      await afterLevel?.(level);
    }
    return { skus, ids };
  }

  async function expectAllAtLastLevel(skus: string[], ids: string[]) {
    for (const id of ids) await api.waitForStatus(id, 'succeeded', 150_000);
    const inventory = (await api.sandboxState()).inventory;
    const wrong = skus.filter((sku) => inventory[sku]?.['wh-01'] !== LEVELS * 10);
    expect(wrong).toEqual([]);
    // Nothing left holding a key or waiting behind one.
    const prefix = queuePrefix(service.env);
    expect(await redis.scard(`${prefix}:ord:parked`)).toBe(0);
    expect(await redis.keys(`${prefix}:ord:q:acc-burst:*`)).toEqual([]);
  }

  it('20 SKUs × 15 levels, the first 100 backend calls failing: every SKU at its last level', async () => {
    await api.injectFault({ status: 503, times: 100 });
    const { skus, ids } = await burst('BURST');
    await expectAllAtLastLevel(skus, ids);
  }, 200_000);

  it('the same with a worker SIGKILLed mid-burst: same result, nothing stuck', async () => {
    await api.injectFault({ status: 503, times: 100 });
    const { skus, ids } = await burst('CRASH', async (level) => {
      if (level === 5) await workers[0].kill();
    });
    await expectAllAtLastLevel(skus, ids);
  }, 240_000);
});
