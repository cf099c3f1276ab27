/**
 * Diagnostic, not a benchmark: how many Redis commands (by name) and store commands our worker
 * spends per message. Accepts N messages with the worker paused, resets Redis's command
 * statistics, resumes, waits until every event succeeded, and prints commands per message.
 *   npx ts-node --transpile-only bench/tools/round-trips.ts [N]
 */
import IORedis from 'ioredis';
import { INBOUND_QUEUE } from '../../src/modules/inbound/inbound-queue';
import { loadConfig } from '../config';
import { processingMix } from '../lib/payloads';
import { mapPool, pollUntil } from '../lib/pool';
import { BENCH_ACCOUNT, startService } from '../lib/service';
import { BenchRedis, dropDatabase, pendingJobs, withMongo } from '../lib/stores';
import { mongoUri } from '../config';

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 500);
  const config = loadConfig(['--only=processing'], process.env);
  const names = { database: 'bench-round-trips', queuePrefix: 'bench-rt' };
  await dropDatabase(mongoUri(config.mongoBaseUri, names.database));
  const service = await startService(config, names, 'round-trips');
  const redis = new BenchRedis(config.redisUrl);
  const admin = new IORedis(config.redisUrl);
  try {
    const queue = redis.queue(names.queuePrefix, INBOUND_QUEUE);
    await queue.pause();
    const messages = processingMix(n, ['missing-order'], 'unique').filter(
      (m) => m.action !== 'order.update',
    );
    await mapPool(messages, 16, async (body) => {
      const r = await fetch(`${service.url}/integrations/custom/inbound`, {
        method: 'POST',
        headers: { authorization: `Bearer ${service.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (r.status !== 202) throw new Error(`${r.status} ${await r.text()}`);
    });
    const count = () =>
      withMongo(service.env.MONGODB_URI, (db) =>
        db
          .collection('integration_events')
          .countDocuments({ accountId: BENCH_ACCOUNT, status: 'succeeded' }),
      );
    await pollUntil(async () => (await count()) === 0, 5000, 100);
    await admin.config('RESETSTAT');
    await queue.resume();
    await pollUntil(async () => (await pendingJobs(queue)) === 0, 120_000, 200);
    const stats = String(await admin.info('commandstats'));
    const rows = stats
      .split('\n')
      .map((l) => /^cmdstat_([^:]+):calls=(\d+)/.exec(l))
      .filter((m): m is RegExpExecArray => !!m)
      .map((m) => [m[1], Number(m[2]) / messages.length] as const)
      .sort((a, b) => b[1] - a[1]);
    console.log(`${messages.length} messages; Redis commands per message (all clients):`);
    for (const [name, perMessage] of rows)
      console.log(`  ${name.padEnd(14)} ${perMessage.toFixed(2)}`);
    console.log(`  total          ${rows.reduce((s, r) => s + r[1], 0).toFixed(2)}`);
    await queue.close();
  } finally {
    admin.disconnect();
    await redis.close();
    await service.child.stop();
  }
}

void main();
