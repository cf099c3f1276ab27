import { freePort } from '../../bench/lib/ports';
import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { Cluster } from 'ioredis';
import { mongoBaseUriOf } from '../../src/config/local-services';
import { Queue } from 'bullmq';
import { startService, RunningService } from '../../src/bootstrap';
import { Env, loadEnv } from '../../src/config/env';
import { bullConnection, createRedis, dataNodes, queuePrefix } from '../../src/config/redis';
import { closeRedis } from '../../src/common/queue/close-redis';
import { signManagementToken } from '../../src/modules/integrations/auth/management-token.service';

export interface TestService {
  url: string;
  env: Env;
  running: RunningService;
  token(accountId: string, options?: { sub?: string; operator?: boolean }): Promise<string>;
  /** Job counts of one of the service's queues, read straight from Redis. */
  queueCounts(queue: string): Promise<Record<string, number>>;
  /** BullMQ state of one job (`failed`, `completed`, … or `missing`). */
  jobState(queue: string, jobId: string): Promise<string>;
  /** Removes a finished job, as BullMQ's retention (24 h / 5,000 completed) does. */
  trimJob(queue: string, jobId: string): Promise<void>;
  /** What BullMQ holds for one job (state, attempts, run, times): for a failing test's message. */
  jobDetail(queue: string, jobId: string): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

// One free-port helper for tests and the bench.
export { freePort };

/** A database of its own for each test file; refuses any name that does not say "test". */
export function testMongoUri(dbName: string): string {
  if (!dbName.includes('test')) throw new Error(`Refusing to run tests against database ${dbName}`);
  const base = mongoBaseUriOf();
  const url = new URL(base);
  url.pathname = `/${dbName}`;
  return url.toString();
}

/**
 * Boots the real service (HTTP, workers, sandboxes) on a free port, against the real local
 * Redis and document store, isolated by database name and queue prefix.
 */
export async function startTestService(
  overrides: Record<string, string> = {},
): Promise<TestService> {
  const id = randomBytes(4).toString('hex');
  const port = await freePort();
  const env = loadEnv({
    ...process.env,
    NODE_ENV: 'test',
    PORT: String(port),
    MONGODB_URI: testMongoUri(`avvyr_test_${id}`),
    QUEUE_PREFIX: `test-${id}`,
    RETRY_ATTEMPTS: '4',
    RETRY_BASE_DELAY_MS: '50',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...overrides,
  });
  const running = await startService(env);
  const key = new TextEncoder().encode(env.MANAGEMENT_JWT_SECRET);
  return {
    url: running.url!,
    env,
    running,
    token: (accountId, { sub = 'test-user', operator = false } = {}) =>
      signManagementToken(key, { sub, accountId, roles: operator ? ['operator'] : [] }, '1h'),
    queueCounts: (name) => withQueue(env, name, (queue) => queue.getJobCounts()),
    jobState: (name, jobId) =>
      withQueue(env, name, async (queue) => (await queue.getJob(jobId))?.getState() ?? 'missing'),
    trimJob: (name, jobId) =>
      withQueue(env, name, async (queue) => {
        await (await queue.getJob(jobId))?.remove();
      }),
    jobDetail: (name, jobId) =>
      withQueue(env, name, async (queue) => {
        const job = await queue.getJob(jobId);
        if (!job) return { state: 'missing' };
        return {
          state: await job.getState(),
          run: job.data?.run,
          heldBehind: job.data?.heldBehind,
          attemptsMade: job.attemptsMade,
          attemptsStarted: job.attemptsStarted,
          delay: job.delay,
          timestamp: job.timestamp,
          processedOn: job.processedOn,
          finishedOn: job.finishedOn,
          failedReason: job.failedReason,
        };
      }),
    close: async () => {
      await running.close(); // a no-op when the test already closed it
      await dropTestData(env);
    },
  };
}

async function dropTestData(env: Env): Promise<void> {
  const connection = await mongoose.createConnection(env.MONGODB_URI).asPromise();
  await connection.dropDatabase().catch(() => undefined);
  await connection.close();
  await deleteKeys(env, `${env.QUEUE_PREFIX}:*`);
}

/** Deletes the keys matching `pattern` on every primary (one on a single node). */
export async function deleteKeys(env: Env, pattern: string): Promise<void> {
  const redis = createRedis(env, { maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  try {
    // A cluster knows its primaries once ready; a stopped Redis fails the scan below instead.
    if (redis instanceof Cluster && redis.status !== 'ready') {
      await new Promise((resolve, reject) => {
        redis.once('ready', resolve);
        setTimeout(() => reject(new Error('cluster not ready')), 5000).unref();
      });
    }
    for (const node of dataNodes(redis)) {
      let cursor = '0';
      do {
        const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
        // One key per DEL: on a cluster a DEL of several keys must stay in one slot.
        if (keys.length) await Promise.all(keys.map((key) => node.del(key)));
        cursor = next;
      } while (cursor !== '0');
    }
  } catch {
    // Redis may be stopped by the test itself; its keys are prefixed and harmless.
  } finally {
    await closeRedis(redis);
  }
}

async function withQueue<T>(env: Env, name: string, use: (queue: Queue) => Promise<T>): Promise<T> {
  const connection = bullConnection(env);
  const queue = new Queue(name, { connection, prefix: queuePrefix(env) });
  try {
    return await use(queue);
  } finally {
    await queue.close();
    if (connection instanceof Cluster) await closeRedis(connection);
  }
}
