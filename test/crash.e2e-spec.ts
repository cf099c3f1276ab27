import { Queue } from 'bullmq';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import mongoose from 'mongoose';
import { LOCAL_MANAGEMENT_JWT_SECRET } from '../src/config/env';
import { queuePrefix } from '../src/config/redis';
import { INBOUND_QUEUE } from '../src/modules/inbound/inbound-queue';
import { signManagementToken } from '../src/modules/integrations/auth/management-token.service';
import { http, waitFor } from './support/http';
import { PrivateRedis } from './support/private-redis';
import { PROCESS_LOG_DIR, ServiceProcess } from './support/service-process';
import { testMongoUri } from './support/test-service';

const MESSAGES = 300;
const BACKEND_LATENCY_MS = 1500;
const WORKER_CONCURRENCY = 20;
/** Workers run with the default lock / stalled-check settings, which promise this. */
const RECOVERY_BOUND_MS = 20_000;
const REDIS_OUTAGE_MS = 3000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The deployment as processes (one ROLE=api with the sandbox backend, three ROLE=worker) over a
 * Redis with AOF, under a load of a few hundred inventory adjustments with a slow backend:
 * a worker is killed with SIGKILL, then another once the first one's jobs were picked up again
 * (so some jobs stall twice), then Redis itself is killed and restarted. Every message answered
 * 202 must end `succeeded`, each applied exactly once (an adjustment applied twice shows in the
 * backend's stock), and nothing may stay in the queue.
 */
describe('Crash test: workers and Redis killed under load', () => {
  let redis: PrivateRedis;
  let queue: Queue;
  let apiProcess: ServiceProcess;
  const workers: ServiceProcess[] = [];
  const id = randomBytes(4).toString('hex');
  const mongoUri = testMongoUri(`avvyr_test_crash_${id}`);

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    queue = new Queue(INBOUND_QUEUE, {
      connection: { url: redis.url },
      prefix: queuePrefix({ QUEUE_PREFIX: `crash-${id}` }),
    });
    // Redis is killed on purpose: its connection errors are expected, not news.
    queue.on('error', () => undefined);
    const common = {
      MONGODB_URI: mongoUri,
      REDIS_URL: redis.url,
      QUEUE_PREFIX: `crash-${id}`,
      RETRY_BASE_DELAY_MS: '200',
      WORKER_CONCURRENCY: String(WORKER_CONCURRENCY),
    };
    apiProcess = await ServiceProcess.start(`crash-api-${id}`, { ...common, ROLE: 'api' });
    const worker = {
      ...common,
      ROLE: 'worker',
      AVVYR_API_URL: `${apiProcess.url}/sandbox/avvyr`,
    };
    workers.push(
      ...(await Promise.all(
        [1, 2, 3].map((n) => ServiceProcess.start(`crash-worker${n}-${id}`, worker)),
      )),
    );
  }, 180_000);

  afterAll(async () => {
    await Promise.all([apiProcess, ...workers].map((p) => p?.kill()));
    await queue?.close();
    await redis?.stop();
    const db = await mongoose.createConnection(mongoUri).asPromise();
    await db.dropDatabase().catch(() => undefined);
    await db.close();
  });

  it('every 202 ends succeeded, applied once, nothing stuck', async () => {
    const token = await signManagementToken(
      new TextEncoder().encode(LOCAL_MANAGEMENT_JWT_SECRET),
      { sub: 'crash-test', accountId: 'acc-crash' },
      '1h',
    );
    const created = await http(`${apiProcess.url}/v1/integrations/`, {
      token,
      body: { service: 'custom', enabled: true, name: 'Crash test' },
    });
    expect(created.status).toBe(201);
    const apiKey: string = created.body.apiKey;
    await http(`${apiProcess.url}/sandbox/avvyr/latency`, {
      method: 'PUT',
      body: { ms: BACKEND_LATENCY_MS },
    });

    // The client: message i adjusts SKU CRASH-i by 1, so the backend's stock counts its applies.
    // Even messages carry an Idempotency-Key. A client resends what was not accepted (503 or no
    // answer), except a keyless message whose outcome it cannot know.
    const accepted = new Map<number, string>();
    const outcomeUnknown = new Set<number>();
    const refusals: Record<string, number> = {};
    let chaosDone = false;
    let next = 0;
    const sendOne = async (i: number) => {
      const keyed = i % 2 === 0;
      for (;;) {
        const answer = await http(`${apiProcess.url}/integrations/custom/inbound`, {
          token: apiKey,
          body: {
            action: 'inventory.adjust',
            data: { items: [{ sku: `CRASH-${i}`, adjustment: 1 }] },
          },
          headers: keyed ? { 'idempotency-key': `crash-${i}` } : {},
        }).catch(() => ({ status: 0, body: { code: 'NO_ANSWER' } }) as const);
        if (answer.status === 202) {
          accepted.set(i, answer.body.messageId);
          return;
        }
        const code = `${answer.status} ${answer.body?.code}`;
        refusals[code] = (refusals[code] ?? 0) + 1;
        const unknown = answer.status === 0 || answer.body?.code === 'QUEUE_OUTCOME_UNKNOWN';
        if (unknown && !keyed) {
          outcomeUnknown.add(i);
          return;
        }
        expect([0, 503]).toContain(answer.status);
        await sleep(200); // the client's backoff before it resends
      }
    };
    const sender = async () => {
      while (next < MESSAGES || !chaosDone) {
        await sendOne(next++);
        await sleep(60); // spreads the load over the whole test
      }
    };
    const senders = Promise.all([sender(), sender()]);

    /** Kills `victim`; resolves once every job active at that moment finished or started again. */
    const killAndRecover = async (victim: ServiceProcess) => {
      const active = await queue.getActive();
      const startedBefore = new Map(active.map((job) => [job.id!, job.attemptsStarted]));
      await victim.kill();
      const killedAt = Date.now();
      const restarted = await waitFor(
        () =>
          Promise.all(
            [...startedBefore].map(async ([jobId, started]) => {
              const job = await queue.getJob(jobId);
              if (job && job.attemptsStarted > started) return 'picked up again';
              return !job || job.finishedOn ? 'finished' : 'held';
            }),
          ),
        (states) => !states.includes('held'),
        {
          timeoutMs: 45_000,
          intervalMs: 100,
          what: 'the killed worker’s jobs to be picked up again',
        },
      );
      return {
        activeAtKill: startedBefore.size,
        pickedUpAgain: restarted.filter((s) => s === 'picked up again').length,
        recoveryMs: Date.now() - killedAt,
      };
    };

    const started = Date.now();
    await waitFor(
      async () => (await queue.getActiveCount()) >= WORKER_CONCURRENCY,
      (busy) => busy,
      { timeoutMs: 30_000, what: 'the workers to be busy' },
    );
    const firstKill = await killAndRecover(workers[0]);
    // The second kill once the first one's jobs run again: some of them stall a second time.
    const secondKill = await killAndRecover(workers[1]);

    await redis.down();
    const redisDownAt = Date.now();
    await waitFor(
      () => Promise.resolve(Object.keys(refusals).some((code) => code.startsWith('503 QUEUE'))),
      (refused) => refused,
      { timeoutMs: 10_000, what: 'the API to refuse messages while Redis is down' },
    );
    // The outage lasts a while under load (its length is the scenario's, not a wait for anything).
    await sleep(REDIS_OUTAGE_MS - (Date.now() - redisDownAt));
    const acceptedBeforeRestart = accepted.size;
    await redis.up();
    const redisUpAt = Date.now();
    await waitFor(
      () => Promise.resolve(accepted.size),
      (size) => size > acceptedBeforeRestart,
      { timeoutMs: 30_000, what: 'a 202 after the Redis restart' },
    );
    const ingestBackMs = Date.now() - redisUpAt;
    const completedAtRestart = await queue.getCompletedCount();
    await waitFor(
      () => queue.getCompletedCount(),
      (completed) => completed > completedAtRestart,
      { timeoutMs: 30_000, what: 'jobs completing after the Redis restart' },
    );
    const processingBackMs = Date.now() - redisUpAt;
    chaosDone = true;
    await senders;

    // Everything drains: nothing waiting, active, delayed or failed.
    const counts = await waitFor(
      () => queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'failed'),
      (c) => Object.values(c).every((n) => n === 0),
      { timeoutMs: 120_000, intervalMs: 250, what: 'the queue to drain' },
    );
    expect(counts.failed).toBe(0);
    const drainedMs = Date.now() - started;

    const notSucceeded: unknown[] = [];
    for (const messageId of accepted.values()) {
      const event = await waitFor(
        () => http(`${apiProcess.url}/v1/integrations/events/${messageId}`, { token }),
        (r) => r.status === 200 && r.body.status === 'succeeded',
        { timeoutMs: 30_000, intervalMs: 200, what: `event ${messageId} to be succeeded` },
      ).catch((error: Error) => error.message);
      if (typeof event === 'string') notSucceeded.push(event);
      else if (event.body.timeline[0].step !== 'received') notSucceeded.push(event.body);
    }
    expect(notSucceeded).toEqual([]);

    const state = (await http(`${apiProcess.url}/sandbox/avvyr/state`)).body;
    const appliedTwice: string[] = [];
    for (const i of accepted.keys()) {
      if (state.inventory[`CRASH-${i}`]?.default !== 1) appliedTwice.push(`CRASH-${i}`);
    }
    for (const i of outcomeUnknown) {
      const stock = state.inventory[`CRASH-${i}`]?.default;
      if (stock !== undefined && stock !== 1) appliedTwice.push(`CRASH-${i}`);
    }
    expect(appliedTwice).toEqual([]);
    // No message was applied by two calls (a replayed call answers from the first one).
    const applies = new Map<string, number>();
    for (const call of state.calls) {
      if (call.status < 300 && !call.replayed)
        applies.set(call.idempotencyKey, (applies.get(call.idempotencyKey) ?? 0) + 1);
    }
    expect([...applies.values()].filter((n) => n > 1)).toEqual([]);

    // How often each message's job was requeued after its worker died (BullMQ's stalled count).
    const stalls = await Promise.all(
      [...accepted.values()].map(async (messageId) =>
        Number((await (await queue.client).hget(`${queue.toKey(messageId)}`, 'stc')) ?? 0),
      ),
    );
    const figures = {
      messages: next,
      accepted: accepted.size,
      outcomeUnknownWithoutKey: outcomeUnknown.size,
      refusals,
      backendLatencyMs: BACKEND_LATENCY_MS,
      workerConcurrency: WORKER_CONCURRENCY,
      firstKill,
      secondKill,
      jobsStalledOnce: stalls.filter((n) => n === 1).length,
      jobsStalledTwice: stalls.filter((n) => n >= 2).length,
      redis: {
        downMs: redisUpAt - redisDownAt,
        ingestBackMs,
        processingBackMs,
      },
      backendCalls: state.callCount,
      replayedCalls: state.calls.filter((c: { replayed: boolean }) => c.replayed).length,
      totalMs: drainedMs,
    };
    mkdirSync(PROCESS_LOG_DIR, { recursive: true });
    writeFileSync(join(PROCESS_LOG_DIR, 'crash-figures.json'), JSON.stringify(figures, null, 2));
    process.stdout.write(`crash test figures: ${JSON.stringify(figures)}\n`);

    expect(firstKill.recoveryMs).toBeLessThan(RECOVERY_BOUND_MS);
    expect(secondKill.recoveryMs).toBeLessThan(RECOVERY_BOUND_MS);
    expect(stalls.filter((n) => n > 0).length).toBeGreaterThan(0);
    expect(firstKill.pickedUpAgain).toBeGreaterThan(0);
    expect(secondKill.pickedUpAgain).toBeGreaterThan(0);
  }, 240_000);
});
