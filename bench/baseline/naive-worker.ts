/**
 * Baseline B of the processing benchmark: a naive BullMQ worker. Per job it calls the same
 * sandbox backend over HTTP and does one Mongoose update of a status document, nothing else:
 * no validation, no retries policy, no timeline, no batching.
 */
import { Worker } from 'bullmq';
import { redisUrlOf } from '../../src/config/local-services';
import { createRedis, queuePrefix } from '../../src/config/redis';
import mongoose from 'mongoose';

const ACTION_ROUTES: Record<string, { method: string; path: (entityId?: string) => string }> = {
  'inventory.set': { method: 'PUT', path: () => '/v1/inventory/levels' },
  'inventory.adjust': { method: 'POST', path: () => '/v1/inventory/adjustments' },
  'order.create': { method: 'POST', path: () => '/v1/orders' },
  'order.update': { method: 'PATCH', path: (id) => `/v1/orders/${encodeURIComponent(id ?? '')}` },
  'product.upsert': { method: 'PUT', path: () => '/v1/products' },
  'price.set': { method: 'PUT', path: () => '/v1/prices' },
  'customer.upsert': { method: 'PUT', path: () => '/v1/customers' },
};

/** One status document per message, keyed by the job id. */
const NaiveEvent = mongoose.model(
  'NaiveEvent',
  new mongoose.Schema(
    { _id: String, status: String, result: mongoose.Schema.Types.Mixed, updatedAt: Date },
    { collection: 'naive_events', versionKey: false },
  ),
);

async function main(): Promise<void> {
  await mongoose.connect(process.env.MONGODB_URI!);
  const backend = process.env.AVVYR_API_URL!;
  const token = process.env.AVVYR_API_TOKEN!;
  const connection = createRedis(
    { REDIS_URL: redisUrlOf(), REDIS_CLUSTER_NODES: process.env.REDIS_CLUSTER_NODES },
    {
      maxRetriesPerRequest: null,
    },
  );
  const worker = new Worker(
    process.env.QUEUE_NAME ?? 'inbound',
    async (job) => {
      const { action, entityId, data } = job.data as {
        action: string;
        entityId?: string;
        data: unknown;
      };
      const route = ACTION_ROUTES[action];
      const response = await fetch(backend + route.path(entityId), {
        method: route.method,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'idempotency-key': String(job.id),
        },
        // The payload as the service sends it: every backend body is the action's `data`.
        body: JSON.stringify(data),
      });
      const result: unknown = await response.json();
      if (!response.ok) throw new Error(`backend answered ${response.status}`);
      await NaiveEvent.updateOne(
        { _id: String(job.id) },
        { $set: { status: 'succeeded', result, updatedAt: new Date() } },
        { upsert: true },
      );
      return result;
    },
    {
      connection,
      // Hash-tagged like ours, so the baseline also runs on a Redis Cluster (--redis=cluster).
      prefix: queuePrefix({ QUEUE_PREFIX: process.env.QUEUE_PREFIX ?? 'bench-naive' }),
      concurrency: Number(process.env.WORKER_CONCURRENCY ?? 50),
    },
  );
  await worker.waitUntilReady();
  console.log('naive worker ready');
  process.once('SIGTERM', () => {
    void worker
      .close()
      .then(() => mongoose.disconnect())
      .finally(() => process.exit(0));
  });
}

void main();
