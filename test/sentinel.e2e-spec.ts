import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import IORedis from 'ioredis';
import { queuePrefix } from '../src/config/redis';
import { Api } from './support/api';
import { waitFor } from './support/http';
import { PrivateRedis } from './support/private-redis';
import { freePort, startTestService, TestService } from './support/test-service';

/**
 * REDIS_URL=redis+sentinel://…/<master name>: the service asks a Sentinel where the primary is
 * and runs its queues there (one Redis of this test's own, watched by one Sentinel).
 */
describe('Redis Sentinel: REDIS_URL=redis+sentinel://host:port/<master name>', () => {
  let primary: PrivateRedis;
  let sentinel: ChildProcess;
  let sentinelPort: number;
  let service: TestService;
  const dir = mkdtempSync(join(tmpdir(), 'avvyr-sentinel-'));

  beforeAll(async () => {
    primary = await PrivateRedis.start();
    sentinelPort = await freePort();
    const conf = join(dir, 'sentinel.conf');
    writeFileSync(
      conf,
      [
        `port ${sentinelPort}`,
        'bind 127.0.0.1',
        `dir ${dir}`,
        `sentinel monitor avvyr-primary 127.0.0.1 ${primary.port} 1`,
      ].join('\n'),
    );
    sentinel = spawn('redis-server', [conf, '--sentinel'], { stdio: 'ignore' });
    const probe = new IORedis(sentinelPort, '127.0.0.1', { lazyConnect: true });
    probe.on('error', () => undefined);
    await waitFor(
      () => probe.call('SENTINEL', 'get-master-addr-by-name', 'avvyr-primary').catch(() => null),
      (addr) => Array.isArray(addr) && addr[1] === String(primary.port),
      { what: 'the sentinel to know the primary' },
    );
    probe.disconnect();
    service = await startTestService({
      REDIS_URL: `redis+sentinel://127.0.0.1:${sentinelPort}/avvyr-primary`,
    });
  }, 60_000);

  afterAll(async () => {
    await service?.close();
    sentinel?.kill('SIGKILL');
    await primary?.down();
    rmSync(dir, { recursive: true, force: true });
  });

  it('accepts and processes a message, its job in the primary the Sentinel named', async () => {
    const api = await Api.forAccount(service, 'acc-sentinel');
    const { apiKey } = await api.newCustomIntegration();
    const accepted = await api.send(apiKey, {
      action: 'inventory.set',
      data: { items: [{ sku: 'SEN-1', quantity: 5 }] },
    });
    expect(accepted.status).toBe(202);
    await api.waitForStatus(accepted.body.messageId, 'succeeded');
    expect((await api.sandboxState()).inventory['SEN-1']).toEqual({ default: 5 });

    const direct = new IORedis(primary.port, '127.0.0.1');
    const job = `${queuePrefix(service.env)}:inbound:${accepted.body.messageId}`;
    expect(await direct.exists(job)).toBe(1);
    direct.disconnect();
  });
});
