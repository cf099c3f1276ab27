import type { Queue } from 'bullmq';
import { INBOUND_QUEUE } from '../../src/modules/inbound/inbound-queue';
import type { BenchConfig } from '../config';
import { NodeChild } from '../lib/child';
import { cpuMsPer, cpuNow, portOf, Processes, storeAndRedis } from '../lib/cpu';
import { listeningPid } from '../lib/store-process';
import { InboundBody, KeySpread, processingMix } from '../lib/payloads';
import { mapPool, pollUntil } from '../lib/pool';
import { BENCH_ACCOUNT, BenchService } from '../lib/service';
import { BenchRedis, pendingJobs, withMongo } from '../lib/stores';
import { ratio, round } from '../lib/stats';
import { log } from './ingest';

export interface ProcessingRun {
  messages: number;
  seconds: number;
  messagesPerSec: number;
  succeeded: number;
  completed: boolean;
  /**
   * CPU time (ms) each process spent per message processed while this side drained: the worker
   * (ours: the whole service), the document store, the sandbox backend and Redis. On a machine
   * whose cores are saturated, their sum is what bounds msg/s.
   */
  cpuMsPerMessage: Record<string, number | undefined>;
}

/** The pids of the processes both sides share, found by their listening ports. */
function sharedProcesses(service: BenchService): Processes {
  const { store, redis } = storeAndRedis(service.env);
  return { store, backend: listeningPid(portOf(backendUrl(service), 80)), redis };
}

export interface ProcessingResult {
  ours: ProcessingRun & { acceptSeconds: number };
  baseline: ProcessingRun;
  ratio: number;
  mix: string;
}

const SENDERS = 32;

/**
 * N messages accepted while the worker is paused, then the time until every one is processed
 * (its event `succeeded`), for our worker and for a naive BullMQ worker on the same backend.
 */
export async function runProcessing(
  config: BenchConfig,
  service: BenchService,
  redis: BenchRedis,
  naivePrefix: string,
  onOursStart: () => void,
  onOursEnd: () => void,
  keys: KeySpread = 'unique',
): Promise<ProcessingResult> {
  const n = config.processing.messages;
  const orderIds = await createOrders(service, Math.max(1, Math.ceil(n / 7)));
  const messages = processingMix(n, orderIds, keys);
  // Another scenario may have run on this service first: count only this run's successes.
  const oursBefore = await countSucceeded(service, 'integration_events', {
    accountId: BENCH_ACCOUNT,
  });
  const naiveBefore = await countSucceeded(service, 'naive_events', {});
  log(`processing: ${orderIds.length} sandbox orders created; accepting ${n} messages`);

  const ourQueue = redis.queue(service.env.QUEUE_PREFIX, INBOUND_QUEUE);
  await ourQueue.pause();
  const acceptStart = Date.now();
  await mapPool(messages, SENDERS, (body) => accept(service, body));
  const acceptSeconds = (Date.now() - acceptStart) / 1000;
  log(`processing: ${n} accepted in ${round(acceptSeconds)} s; resuming our worker`);
  onOursStart();
  const ours = await drain(
    ourQueue,
    n,
    config.processing.timeoutSec,
    { worker: service.child.pid, ...sharedProcesses(service) },
    async () =>
      (await countSucceeded(service, 'integration_events', { accountId: BENCH_ACCOUNT })) -
      oursBefore,
  );
  onOursEnd();
  await ourQueue.close();
  log(`processing ours: ${ours.messagesPerSec} msg/s (${ours.succeeded}/${n} succeeded)`);

  const naiveQueue = redis.queue(naivePrefix, INBOUND_QUEUE);
  await naiveQueue.pause();
  for (let i = 0; i < n; i += 500) {
    await naiveQueue.addBulk(
      messages.slice(i, i + 500).map((body) => ({ name: body.action, data: body })),
    );
  }
  const worker = new NodeChild(
    'naive-worker',
    ['-r', 'ts-node/register/transpile-only', 'bench/baseline/naive-worker.ts'],
    {
      MONGODB_URI: service.env.MONGODB_URI,
      REDIS_URL: service.env.REDIS_URL,
      QUEUE_PREFIX: naivePrefix,
      QUEUE_NAME: INBOUND_QUEUE,
      AVVYR_API_URL: backendUrl(service),
      AVVYR_API_TOKEN: service.env.AVVYR_API_TOKEN,
      WORKER_CONCURRENCY: String(config.processing.concurrency),
    },
  );
  try {
    await worker.waitUntil(async () => (await naiveQueue.getWorkers()).length > 0, 60_000);
    const baseline = await drain(
      naiveQueue,
      n,
      config.processing.timeoutSec,
      { worker: worker.pid, ...sharedProcesses(service) },
      async () => (await countSucceeded(service, 'naive_events', {})) - naiveBefore,
    );
    log(
      `processing naive: ${baseline.messagesPerSec} msg/s (${baseline.succeeded}/${n} succeeded)`,
    );
    return {
      ours: { ...ours, acceptSeconds: round(acceptSeconds) },
      baseline,
      ratio: ratio(ours.messagesPerSec, baseline.messagesPerSec),
      mix: `the seven seed examples in turn, ${keys === 'unique' ? 'each message on SKUs and an e-mail of its own' : `every SKU on ${keys.hot} hot SKUs`}; order.create with a unique externalId, order.update on orders created beforehand`,
    };
  } finally {
    await worker.stop();
    await naiveQueue.close();
  }
}

/** Resumes the queue and times it until nothing is waiting, active or delayed. */
async function drain(
  queue: Queue,
  n: number,
  timeoutSec: number,
  processes: Processes,
  succeeded: () => Promise<number>,
): Promise<ProcessingRun> {
  const cpuBefore = cpuNow(processes);
  const start = Date.now();
  await queue.resume();
  const completed = await pollUntil(
    async () => (await pendingJobs(queue)) === 0,
    timeoutSec * 1000,
    100,
  );
  const seconds = (Date.now() - start) / 1000;
  const cpuAfter = cpuNow(processes);
  const done = await succeeded();
  return {
    messages: n,
    seconds: round(seconds),
    messagesPerSec: round(done / seconds, 1),
    succeeded: done,
    completed,
    cpuMsPerMessage: cpuMsPer(cpuBefore, cpuAfter, done),
  };
}

async function accept(service: BenchService, body: InboundBody): Promise<void> {
  const response = await fetch(`${service.url}/integrations/custom/inbound`, {
    method: 'POST',
    headers: { authorization: `Bearer ${service.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 202)
    throw new Error(`accept answered ${response.status}: ${await response.text()}`);
  await response.arrayBuffer();
}

/** The sandbox Avvyr both workers call: the backend process when the bench started one. */
function backendUrl(service: BenchService): string {
  return service.env.AVVYR_API_URL ?? `${service.url}/sandbox/avvyr`;
}

/** Orders for the order.update messages, created straight in the sandbox backend. */
async function createOrders(service: BenchService, count: number): Promise<string[]> {
  // Unique per call: several scenarios create orders on one sandbox backend.
  const run = Date.now().toString(36);
  return mapPool(
    Array.from({ length: count }, (_, i) => i),
    16,
    async (i) => {
      const response = await fetch(`${backendUrl(service)}/v1/orders`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${service.env.AVVYR_API_TOKEN}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({
          externalId: `BENCH-SEED-ORDER-${run}-${i}`,
          customer: { email: 'customer@example.com' },
          lineItems: [{ sku: 'CHAIR-UNO-BLK', quantity: 1, unitPrice: 4990 }],
        }),
      });
      const body = (await response.json()) as { id: string };
      if (response.status !== 201) throw new Error(`sandbox order: ${JSON.stringify(body)}`);
      return body.id;
    },
  );
}

async function countSucceeded(
  service: BenchService,
  collection: string,
  filter: object,
): Promise<number> {
  return withMongo(service.env.MONGODB_URI, (db) =>
    db.collection(collection).countDocuments({ ...filter, status: 'succeeded' }),
  );
}
