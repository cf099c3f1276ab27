import { randomUUID } from 'node:crypto';
import type { BenchConfig } from '../config';
import { seedMix } from '../lib/payloads';
import { BENCH_ACCOUNT, BenchService } from '../lib/service';
import { median, ratio } from '../lib/stats';
import { withMongo } from '../lib/stores';
import { log } from './ingest';

export interface GrowthSize {
  events: number;
  p50: number;
  samples: number;
  /** Requests that got no answer (the connection closed); counted at the time they took. */
  failed: number;
  insertSeconds: number;
}

export interface GrowthResult {
  small: GrowthSize;
  large: GrowthSize;
  ratio: number;
  filters: object[];
}

const BATCH = 1000;

/**
 * Events filter latency with few and with many events stored: the same filters over HTTP
 * after inserting events shaped like the projection writes them.
 */
export async function runGrowth(config: BenchConfig, service: BenchService): Promise<GrowthResult> {
  const filters = [
    { limit: 50 },
    { integrationId: service.integrationId, status: 'failed', limit: 50 },
    { integrationId: service.integrationId, action: 'order.create', limit: 20 },
  ];
  await withMongo(service.env.MONGODB_URI, (db) =>
    db.collection('integration_events').deleteMany({}),
  );
  const small = await measureAt(config, service, config.growth.small, 0, filters);
  const large = await measureAt(config, service, config.growth.large, config.growth.small, filters);
  return { small, large, ratio: ratio(large.p50, small.p50), filters };
}

async function measureAt(
  config: BenchConfig,
  service: BenchService,
  total: number,
  present: number,
  filters: object[],
): Promise<GrowthSize> {
  const insertStart = Date.now();
  await withMongo(service.env.MONGODB_URI, async (db) => {
    const events = db.collection<ReturnType<typeof eventDoc>>('integration_events');
    for (let i = present; i < total; i += BATCH) {
      const count = Math.min(BATCH, total - i);
      await events.insertMany(
        Array.from({ length: count }, (_, k) => eventDoc(service, i + k, total)),
      );
    }
  });
  const insertSeconds = (Date.now() - insertStart) / 1000;
  const latencies: number[] = [];
  let failed = 0;
  const deadline = Date.now() + config.growth.timeBudgetSec * 1000;
  // Warm-up request: the first one pays connection set-up.
  await filter(service, filters[0]).catch(() => undefined);
  while (
    latencies.length < config.growth.samples &&
    (latencies.length < filters.length || Date.now() < deadline)
  ) {
    const start = performance.now();
    const body = filters[latencies.length % filters.length];
    const ms = await filter(service, body).catch((error: unknown) => {
      // Counted at the time it took, so a store that gives up still shows in the figure.
      failed++;
      const took = Math.round(performance.now() - start);
      log(`growth: a filter request failed after ${took} ms: ${String(error)}`);
      return took;
    });
    latencies.push(ms);
  }
  const p50 = median(latencies);
  log(`growth ${total} events: filter p50 ${p50} ms over ${latencies.length} requests`);
  return { events: total, p50, samples: latencies.length, failed, insertSeconds };
}

async function filter(service: BenchService, body: object): Promise<number> {
  const start = performance.now();
  const response = await fetch(`${service.url}/v1/integrations/events/filter`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${service.managementToken}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify(body),
  });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`filter answered ${response.status}`);
  return Math.round((performance.now() - start) * 10) / 10;
}

const SEEDS = seedMix();
const STATUSES = [
  'succeeded',
  'succeeded',
  'succeeded',
  'succeeded',
  'succeeded',
  'succeeded',
  'succeeded',
  'succeeded',
  'failed',
  'retrying',
];

/** An IntegrationEvent as the projection leaves it: 90% ours, spread over 30 days, mostly succeeded. */
function eventDoc(service: BenchService, i: number, total: number) {
  const seed = SEEDS[i % SEEDS.length];
  const status = STATUSES[i % STATUSES.length];
  const receivedAt = new Date(Date.now() - Math.floor(((total - i) / total) * 30 * 86_400_000));
  const at = (ms: number) => new Date(receivedAt.getTime() + ms);
  const ours = i % 10 !== 9;
  const messageId = randomUUID();
  return {
    // Keyed as the projection keys events: the messageId is the _id.
    _id: messageId,
    messageId,
    source: 'inbound',
    integrationId: ours ? service.integrationId : `other-integration-${i % 7}`,
    accountId: ours ? BENCH_ACCOUNT : 'acc-other',
    action: seed.action,
    ...(seed.entityId && { entityId: seed.entityId }),
    correlationId: randomUUID(),
    status,
    statusRank: status === 'succeeded' || status === 'failed' ? 13 : 12,
    attempts: 1,
    timeline: [
      { step: 'received', status: 'received', at: receivedAt, run: 0, attempt: 0 },
      { step: 'processing', status: 'processing', at: at(20), run: 0, attempt: 1 },
      { step: status, status, at: at(45), run: 0, attempt: 1 },
    ],
    ...(status === 'failed' && {
      lastError: {
        code: 'AVVYR_HTTP_404',
        message: 'Avvyr backend answered 404',
        httpStatus: 404,
        retryable: false,
      },
    }),
    ...(status === 'succeeded' && { result: { updated: 1 }, completedAt: at(45) }),
    payload: seed.data,
    receivedAt,
    updatedAt: at(45),
  };
}
