import { randomBytes } from 'node:crypto';
import IORedis from 'ioredis';
import { loadEnv } from '../src/config/env';
import { ApplyLock } from '../src/modules/avasam/apply-notification/apply-lock';

describe('Avasam apply lock (real Redis)', () => {
  const prefix = `test-lock-${randomBytes(4).toString('hex')}`;
  const env = loadEnv({ ...process.env, QUEUE_PREFIX: prefix, AVVYR_TIMEOUT_MS: '200' });
  const redis = new IORedis(env.REDIS_URL);
  const workers = [new ApplyLock(env), new ApplyLock(env)];

  afterAll(async () => {
    await Promise.all(workers.map((lock) => lock.onModuleDestroy()));
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it('runs the work of one key one at a time, across instances', async () => {
    const log: string[] = [];
    const work = (name: string) => async () => {
      log.push(`${name} start`);
      await new Promise((resolve) => setImmediate(resolve));
      await redis.ping();
      log.push(`${name} end`);
      return name;
    };
    const results = await Promise.all([
      workers[0].run('integration:stock', work('a')),
      workers[1].run('integration:stock', work('b')),
      workers[0].run('integration:stock', work('c')),
    ]);
    expect(results).toEqual(['a', 'b', 'c']);
    for (let i = 0; i < log.length; i += 2) {
      expect(log[i].replace(' start', '')).toBe(log[i + 1].replace(' end', ''));
    }
    expect(await redis.exists(`${prefix}:avasam-apply-lock:integration:stock`)).toBe(0);
  });

  it('releases the lock when the work fails', async () => {
    await expect(
      workers[0].run('integration:price', () => Promise.reject(new Error('backend down'))),
    ).rejects.toThrow('backend down');
    await expect(workers[1].run('integration:price', async () => 'next')).resolves.toBe('next');
  });

  it('a lock whose holder vanished frees itself after its expiry', async () => {
    const key = `${prefix}:avasam-apply-lock:crashed:stock`;
    await redis.set(key, 'a worker that died', 'PX', workers[0].ttlMs);
    await expect(workers[0].run('crashed:stock', async () => 'recovered')).resolves.toBe(
      'recovered',
    );
  });

  it('gives up with a retryable error when the lock stays taken', async () => {
    const key = `${prefix}:avasam-apply-lock:stuck:stock`;
    await redis.set(key, 'someone else', 'PX', 60_000);
    await expect(workers[0].run('stuck:stock', async () => 'never')).rejects.toMatchObject({
      code: 'AVASAM_APPLY_BUSY',
    });
  });
});
