/**
 * `npx ts-node --transpile-only bench/costs.ts [--messages=1000]`: what one message costs the
 * shared engines, for docs/SCALING.md. Runs the service in this process (an API, then a worker
 * on the same prefix and database) against the local Redis and store, with nothing else on that
 * Redis, and counts: Redis commands per accepted and per processed message (INFO
 * total_commands_processed), Redis bytes per waiting message (MEMORY USAGE of its keys), and
 * store writes per message (every Mongoose write call, and the documents they carry).
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { startService } from '../src/bootstrap';
import { loadEnv } from '../src/config/env';
import { createRedis } from '../src/config/redis';
import { signManagementToken } from '../src/modules/integrations/auth/management-token.service';
import { mongoUri } from './config';
import { mapPool, pollUntil } from './lib/pool';
import { BenchRedis, dropDatabase } from './lib/stores';
import { round } from './lib/stats';

const WRITES = new Set([
  'insertOne',
  'insertMany',
  'updateOne',
  'updateMany',
  'findOneAndUpdate',
  'replaceOne',
  'bulkWrite',
  'deleteOne',
  'deleteMany',
]);

async function main(): Promise<void> {
  const messages = Number(/--messages=(\d+)/.exec(process.argv.join(' '))?.[1] ?? 1000);
  const id = randomBytes(3).toString('hex');
  const raw = {
    ...process.env,
    NODE_ENV: 'test',
    QUEUE_PREFIX: `costs-${id}`,
    LOG_LEVEL: 'silent',
  };
  const base = loadEnv(raw);
  const database = mongoUri(base.MONGODB_URI, `avvyr_bench_costs_${id}`);
  const redis = createRedis(base);
  const stores = new BenchRedis(base.REDIS_URL, base.REDIS_CLUSTER_NODES);
  const commands = async () =>
    Number(/total_commands_processed:(\d+)/.exec(await redis.info('stats'))?.[1]);
  /** Redis' own CPU time (user + system), ms: what bounds one primary. */
  const redisCpuMs = async () => {
    const info = await redis.info('cpu');
    const of = (name: string) => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)?.[1] ?? 0);
    return (of('used_cpu_user') + of('used_cpu_sys')) * 1000;
  };
  const writes = { calls: 0, documents: 0 };
  mongoose.set('debug', (_collection: string, method: string, ...args: unknown[]) => {
    if (!WRITES.has(method)) return;
    writes.calls += 1;
    writes.documents += Array.isArray(args[0]) ? args[0].length : 1;
  });

  const api = await startService(
    loadEnv({ ...raw, ROLE: 'api', PORT: '0', MONGODB_URI: database }),
  );
  const address = (api.app as unknown as { getHttpServer(): { address(): { port: number } } })
    .getHttpServer()
    .address();
  const apiUrl = `http://127.0.0.1:${address.port}`;
  const token = await signManagementToken(
    new TextEncoder().encode(base.MANAGEMENT_JWT_SECRET),
    { sub: 'costs', accountId: 'acc-costs' },
    '1h',
  );
  const created = (await (
    await fetch(`${apiUrl}/v1/integrations/`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ service: 'custom', enabled: true, name: 'Costs' }),
    })
  ).json()) as { apiKey: string };

  const send = (i: number) =>
    fetch(`${apiUrl}/integrations/custom/inbound`, {
      method: 'POST',
      headers: { authorization: `Bearer ${created.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        action: 'inventory.set',
        data: { items: [{ sku: `COST-${i}`, quantity: i, warehouseId: 'wh-01' }] },
      }),
    }).then((r) => r.status);
  await mapPool([...Array(20).keys()], 4, send); // warm-up: caches, scripts loaded
  const settle = () =>
    pollUntil(
      async () =>
        /^avvyr_projection_backlog 0$/m.test(await (await fetch(`${apiUrl}/metrics`)).text()),
      60_000,
      100,
    );
  await settle();

  let before = await commands();
  let cpuBefore = await redisCpuMs();
  let writesBefore = { ...writes };
  const memoryBefore = await stores.prefixUsage(base.QUEUE_PREFIX);
  const statuses = await mapPool(
    [...Array(messages).keys()].map((i) => i + 100),
    8,
    send,
  );
  await settle();
  const accepted = statuses.filter((s) => s === 202).length;
  const ingestCommands = (await commands()) - before - 2;
  const ingestCpu = (await redisCpuMs()) - cpuBefore;
  const ingestWrites = {
    calls: writes.calls - writesBefore.calls,
    documents: writes.documents - writesBefore.documents,
  };
  const memoryAfter = await stores.prefixUsage(base.QUEUE_PREFIX);

  const worker = await startService(
    loadEnv({
      ...raw,
      ROLE: 'worker',
      PORT: '0',
      MONGODB_URI: database,
      AVVYR_API_URL: `${apiUrl}/sandbox/avvyr`,
    }),
  );
  before = await commands();
  cpuBefore = await redisCpuMs();
  writesBefore = { ...writes };
  const started = Date.now();
  const done = await pollUntil(
    async () => {
      const state = (await (await fetch(`${apiUrl}/sandbox/avvyr/state`)).json()) as {
        inventory: Record<string, unknown>;
      };
      return Object.keys(state.inventory).length >= messages + 20;
    },
    300_000,
    200,
  );
  await settle();
  const processSeconds = (Date.now() - started) / 1000;
  // Idle workers poll too (stalled checks, blocking reads): counted, as they are part of the cost.
  const processCommands = (await commands()) - before - 2;
  const processCpu = (await redisCpuMs()) - cpuBefore;
  const processWrites = {
    calls: writes.calls - writesBefore.calls,
    documents: writes.documents - writesBefore.documents,
  };

  await worker.close();
  await api.close();
  await stores.deletePrefix(base.QUEUE_PREFIX);
  await stores.close();
  redis.disconnect();
  await dropDatabase(database);
  const per = (n: number) => round(n / accepted, 2);
  console.log(
    JSON.stringify(
      {
        messages,
        accepted,
        processedAll: done,
        processSeconds: round(processSeconds, 1),
        redisCommandsPerAcceptedMessage: per(ingestCommands),
        redisCommandsPerProcessedMessage: per(processCommands),
        redisCpuMsPerMessage: { ingest: per(ingestCpu), processing: per(processCpu) },
        redisBytesPerWaitingMessage: Math.round(
          ((memoryAfter.mb - memoryBefore.mb) * 1024 * 1024) / accepted,
        ),
        redisKeysPerWaitingMessage: per(memoryAfter.keys - memoryBefore.keys),
        storeWriteCallsPerMessage: {
          ingest: per(ingestWrites.calls),
          processing: per(processWrites.calls),
        },
        storeDocumentsWrittenPerMessage: {
          ingest: per(ingestWrites.documents),
          processing: per(processWrites.documents),
        },
      },
      null,
      2,
    ),
  );
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
