import { randomUUID } from 'node:crypto';
import type { BenchConfig } from '../config';
import { seedMix } from '../lib/payloads';
import { BENCH_ACCOUNT, BenchService } from '../lib/service';
import { rssMb } from '../lib/rss';
import { median, ratio } from '../lib/stats';
import { listeningPid } from '../lib/store-process';
import { withMongo } from '../lib/stores';
import { deleteInBatches } from '../../src/common/store';
import { eventSkuRows } from '../../src/modules/events/event-sku.schema';
import { payloadSkus } from '../../src/modules/events/timeline/event-keys';
import { log } from './ingest';

/** One filter of the events list as the bench sends it; `page: 2` follows the first page's cursor. */
export interface GrowthFilter {
  name: string;
  body: Record<string, unknown>;
  page?: 2;
}

export interface FilterTiming {
  name: string;
  p50: number;
  samples: number;
  /** Requests that got no answer or not a 200; counted at the time they took. */
  failed: number;
  /** Items the (last) answer held: a filter that matches nothing measures nothing. */
  items: number;
}

export interface GrowthSize {
  events: number;
  /** Pooled p50 over every filter's requests. */
  p50: number;
  samples: number;
  failed: number;
  insertSeconds: number;
  filters: FilterTiming[];
  /** Resident memory of the document store's process after the measurements. */
  storeRssMb?: number;
}

export interface GrowthResult {
  small: GrowthSize;
  large: GrowthSize;
  /** Pooled p50 ratio large ÷ small. */
  ratio: number;
  /** Each filter's p50 at both sizes and its ratio. */
  perFilter: { name: string; small: number; large: number; ratio: number }[];
  filters: GrowthFilter[];
}

const BATCH = 1000;
/** SKUs are spread over this many variants of each seed SKU, so a SKU search finds a few. */
const SKU_VARIANTS = 50;

/**
 * Events filter latency with few and with many events stored: each filter of the events list
 * over HTTP, after inserting events shaped like the projection writes them (with their
 * event_skus rows). Every filter is measured separately; the second pages follow the cursor.
 */
export async function runGrowth(config: BenchConfig, service: BenchService): Promise<GrowthResult> {
  const integrationId = service.integrationId;
  const day = 86_400_000;
  // Held for the whole run: the time window must cover the same span of the data at both sizes.
  const now = Date.now();
  const filters: GrowthFilter[] = [
    { name: 'newest page', body: { limit: 50 } },
    { name: 'newest page, page 2', body: { limit: 50 }, page: 2 },
    { name: 'integrationId + status', body: { integrationId, status: 'failed', limit: 50 } },
    { name: 'integrationId + action', body: { integrationId, action: 'order.create', limit: 20 } },
    { name: 'entityId', body: { entityId: 'order-id-from-avvyr', limit: 50 } },
    { name: 'source', body: { source: 'avasam', limit: 50 } },
    {
      name: 'time window (1 day)',
      body: {
        from: new Date(now - 15 * day).toISOString(),
        to: new Date(now - 14 * day).toISOString(),
        limit: 50,
      },
    },
    { name: 'sku', body: { sku: 'CHAIR-UNO-BLK-7', limit: 20 } },
    { name: 'sku, page 2', body: { sku: 'CHAIR-UNO-BLK-7', limit: 20 }, page: 2 },
    {
      name: 'externalId',
      body: {
        externalId: externalIdOf(firstOrderAtOrAfter(Math.floor(config.growth.small / 2))),
        limit: 20,
      },
    },
  ];
  await withMongo(service.env.MONGODB_URI, async (db) => {
    // In batches: the local store refuses one delete of more than 32,766 documents, and the
    // processing scenarios before this one leave 40,000 events at full size.
    await deleteInBatches(db.collection('integration_events'), {});
    await deleteInBatches(db.collection('event_skus'), {});
  });
  const small = await measureAt(config, service, config.growth.small, 0, filters, now);
  const large = await measureAt(
    config,
    service,
    config.growth.large,
    config.growth.small,
    filters,
    now,
  );
  const perFilter = filters.map((f, i) => ({
    name: f.name,
    small: small.filters[i].p50,
    large: large.filters[i].p50,
    ratio: ratio(large.filters[i].p50, small.filters[i].p50),
  }));
  return { small, large, ratio: ratio(large.p50, small.p50), perFilter, filters };
}

async function measureAt(
  config: BenchConfig,
  service: BenchService,
  total: number,
  present: number,
  filters: GrowthFilter[],
  now: number,
): Promise<GrowthSize> {
  const insertStart = Date.now();
  await withMongo(service.env.MONGODB_URI, async (db) => {
    const events = db.collection<ReturnType<typeof eventDoc>>('integration_events');
    const skus = db.collection<{ _id: string }>('event_skus');
    for (let i = present; i < total; i += BATCH) {
      const count = Math.min(BATCH, total - i);
      const docs = Array.from({ length: count }, (_, k) => eventDoc(service, i + k, total, now));
      await events.insertMany(docs);
      await skus.insertMany(docs.flatMap((doc) => eventSkuRows(doc)));
    }
  });
  const insertSeconds = (Date.now() - insertStart) / 1000;
  // Warm-up request: the first one pays connection set-up.
  await filter(service, filters[0].body).catch(() => undefined);
  // The second pages start from the first page's cursor, read once here.
  const bodies = await Promise.all(
    filters.map(async (f) => {
      if (f.page !== 2) return f.body;
      // A build that refuses the filter fails it again below, where it is counted.
      const first = await filterPage(service, f.body).catch(() => undefined);
      return first?.nextCursor ? { ...f.body, cursor: first.nextCursor } : f.body;
    }),
  );
  const timings = filters.map((f) => ({
    name: f.name,
    latencies: [] as number[],
    failed: 0,
    items: 0,
  }));
  const deadline = Date.now() + config.growth.timeBudgetSec * 1000;
  // Filters in turn, each `samples` times (at least once each within the time budget).
  for (let round = 0; round < config.growth.samples; round++) {
    if (round > 0 && Date.now() > deadline) break;
    for (let i = 0; i < filters.length; i++) {
      const start = performance.now();
      const timing = timings[i];
      const ms = await filter(service, bodies[i])
        .then(({ ms, items }) => {
          timing.items = items;
          return ms;
        })
        .catch((error: unknown) => {
          // Counted at the time it took, so a store that gives up still shows in the figure.
          timing.failed++;
          const took = Math.round(performance.now() - start);
          log(`growth: filter "${filters[i].name}" failed after ${took} ms: ${String(error)}`);
          return took;
        });
      timing.latencies.push(ms);
    }
  }
  const all = timings.flatMap((t) => t.latencies);
  const storePid = listeningPid(Number(new URL(service.env.MONGODB_URI).port || 27017));
  const storeRssMb = storePid ? rssMb(storePid) : undefined;
  const result: GrowthSize = {
    events: total,
    p50: median(all),
    samples: all.length,
    failed: timings.reduce((sum, t) => sum + t.failed, 0),
    insertSeconds,
    filters: timings.map((t) => ({
      name: t.name,
      p50: median(t.latencies),
      samples: t.latencies.length,
      failed: t.failed,
      items: t.items,
    })),
    ...(storeRssMb !== undefined && { storeRssMb: Math.round(storeRssMb) }),
  };
  for (const t of result.filters) {
    log(`growth ${total} events: ${t.name}: p50 ${t.p50} ms over ${t.samples} (${t.items} items)`);
  }
  log(
    `growth ${total} events: pooled p50 ${result.p50} ms; inserted in ${insertSeconds} s; store RSS ${storeRssMb === undefined ? '?' : Math.round(storeRssMb)} MB`,
  );
  return result;
}

/** One POST of the events filter with the bench's management token. */
function postFilter(service: BenchService, body: object): Promise<Response> {
  return fetch(`${service.url}/v1/integrations/events/filter`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${service.managementToken}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify(body),
  });
}

async function filterPage(
  service: BenchService,
  body: object,
): Promise<{ items: unknown[]; nextCursor: string | null }> {
  const response = await postFilter(service, body);
  if (response.status !== 200) throw new Error(`filter answered ${response.status}`);
  return (await response.json()) as { items: unknown[]; nextCursor: string | null };
}

async function filter(service: BenchService, body: object): Promise<{ ms: number; items: number }> {
  const start = performance.now();
  const response = await postFilter(service, body);
  const text = await response.text();
  if (response.status !== 200) throw new Error(`filter answered ${response.status}`);
  const ms = Math.round((performance.now() - start) * 10) / 10;
  return { ms, items: (JSON.parse(text) as { items: unknown[] }).items.length };
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

/** The seed's payload with every SKU made one of SKU_VARIANTS variants (`<sku>-<n>`). */
function variantPayload(data: unknown, i: number): unknown {
  const copy = structuredClone(data) as Record<string, unknown>;
  for (const list of ['items', 'products', 'lineItems']) {
    const items = copy[list];
    if (!Array.isArray(items)) continue;
    for (const item of items as { sku?: string }[]) {
      if (item.sku) item.sku = `${item.sku}-${i % SKU_VARIANTS}`;
    }
  }
  return copy;
}

const isAvasam = (i: number) => i % 20 === 3;
const isOurs = (i: number) => i % 10 !== 9;
const externalIdOf = (i: number) => `ERP-ORDER-${i}`;

/** The first of our order.create events at or after index `from` (present at both sizes). */
function firstOrderAtOrAfter(from: number): number {
  let i = from;
  while (SEEDS[i % SEEDS.length].action !== 'order.create' || isAvasam(i) || !isOurs(i)) i++;
  return i;
}

/**
 * An IntegrationEvent as the projection leaves it: 90% ours, spread over 30 days, mostly
 * succeeded; 1 in 20 an Avasam stock notification; with the SKUs and externalId it records.
 */
function eventDoc(service: BenchService, i: number, total: number, now: number) {
  const avasam = isAvasam(i);
  const seed = SEEDS[i % SEEDS.length];
  const status = STATUSES[i % STATUSES.length];
  const receivedAt = new Date(now - Math.floor(((total - i) / total) * 30 * 86_400_000));
  const at = (ms: number) => new Date(receivedAt.getTime() + ms);
  const ours = isOurs(i);
  const messageId = randomUUID();
  const payload = avasam
    ? {
        requestId: `req-${i}`,
        data: [{ sku: `AVA-CHAIR-${i % SKU_VARIANTS}`, quantity: 3, updatedOn: receivedAt }],
      }
    : variantPayload(seed.data, i);
  const skus = payloadSkus(payload);
  const externalId = avasam
    ? `req-${i}`
    : seed.action === 'order.create'
      ? externalIdOf(i)
      : undefined;
  if (!avasam && seed.action === 'order.create') {
    (payload as { externalId: string }).externalId = externalIdOf(i);
  }
  return {
    // Keyed as the projection keys events: the messageId is the _id.
    _id: messageId,
    messageId,
    source: avasam ? 'avasam' : 'inbound',
    integrationId: ours ? service.integrationId : `other-integration-${i % 7}`,
    accountId: ours ? BENCH_ACCOUNT : 'acc-other',
    action: avasam ? 'avasam.stock-update' : seed.action,
    ...(!avasam && seed.entityId && { entityId: seed.entityId }),
    ...(externalId && { externalId }),
    ...(skus.length && { skus }),
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
    payload,
    receivedAt,
    updatedAt: at(45),
  };
}
