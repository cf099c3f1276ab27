import { Queue, UnrecoverableError, Worker } from 'bullmq';
import { Api } from './support/api';
import { waitFor } from './support/http';
import { startTestService, TestService } from './support/test-service';
import { SEED_EXAMPLES } from './fixtures/seed-examples';
import { INBOUND_QUEUE } from '../src/modules/inbound/inbound-queue';
import { queuePrefix } from '../src/config/redis';

/**
 * Jobs whose worker dies while holding them (kill -9, OOM): BullMQ's stalled-job checker puts
 * them back, and fails those that stalled more than WORKER_MAX_STALLED_COUNT times. Such a job
 * never ran our processor, so nothing recorded its outcome: the event stayed `received` or
 * `processing` for ever, the retry API refused it and `status=failed` did not find it.
 *
 * A "doomed" worker here is a plain BullMQ worker that takes the job and then vanishes without a
 * word, as a killed process does: its lock is no longer renewed and runs out.
 */
describe('Stalled jobs: a job whose workers died is recovered, or failed visibly and retryable', () => {
  let apiService: TestService;
  let api: Api;
  let apiKey: string;
  let queue: Queue;

  // A fresh API service per test: closing an in-process worker app also closes the Mongo client
  // of the API app beside it, so each test ends both.
  beforeEach(async () => {
    apiService = await startTestService({ ROLE: 'api' });
    api = await Api.forAccount(apiService, 'acc-stalled');
    ({ apiKey } = await api.newCustomIntegration());
    queue = new Queue(INBOUND_QUEUE, {
      connection: { url: apiService.env.REDIS_URL },
      prefix: queuePrefix(apiService.env),
    });
  });
  afterEach(async () => {
    await queue?.close();
    await apiService?.close();
  });

  /** A message whose job two workers in a row took and died with. */
  async function acceptedAndStalledTwice(): Promise<string> {
    const accepted = await api.send(apiKey, SEED_EXAMPLES['inventory.adjust']);
    expect(accepted.status).toBe(202);
    const messageId: string = accepted.body.messageId;
    for (let taken = 1; taken <= 2; taken++) {
      const doomed = new Worker(INBOUND_QUEUE, () => new Promise(() => undefined), {
        connection: { url: apiService.env.REDIS_URL },
        prefix: queuePrefix(apiService.env),
        lockDuration: 1000,
        stalledInterval: 300,
        maxStalledCount: 1,
      });
      // The second doomed worker's stalled checker is what gives it the job back.
      await waitFor(
        async () => (await queue.getJob(messageId))?.attemptsStarted ?? 0,
        (started) => started >= taken,
        { what: `doomed worker ${taken} to take the job` },
      );
      await doomed.close(true);
    }
    return messageId;
  }

  function startWorker(overrides: Record<string, string> = {}) {
    return startTestService({
      ROLE: 'worker',
      MONGODB_URI: apiService.env.MONGODB_URI,
      QUEUE_PREFIX: apiService.env.QUEUE_PREFIX,
      AVVYR_API_URL: `${apiService.url}/sandbox/avvyr`,
      ...overrides,
    });
  }

  const appliedCalls = async (messageId: string) =>
    (await api.sandboxState()).calls.filter(
      (c: any) => c.idempotencyKey === messageId && c.status < 300 && !c.replayed,
    );

  it('a job failed as stalled too often is `failed` with the reason, found by the filter, and retried to success', async () => {
    const messageId = await acceptedAndStalledTwice();
    // The strictest limit: the second stall is one too many.
    const worker = await startWorker({
      WORKER_MAX_STALLED_COUNT: '1',
      WORKER_STALLED_INTERVAL_MS: '500',
    });
    try {
      const failed = await api.waitForStatus(messageId, 'failed');
      expect(failed.lastError).toMatchObject({ code: 'STALLED_TOO_OFTEN', retryable: false });
      expect(failed.lastError.message).toContain('job stalled more than allowable limit');
      expect(failed.timeline.map((s: any) => s.step)).toEqual(['received', 'failed']);
      expect(await apiService.jobState(INBOUND_QUEUE, messageId)).toBe('failed');

      const listed = await api.filter({ status: 'failed' });
      expect(listed.body.items.map((e: any) => e.messageId)).toContain(messageId);

      const retried = await api.retry(messageId);
      expect(retried.status).toBe(202);
      await api.waitForStatus(messageId, 'succeeded');
      expect(await appliedCalls(messageId)).toHaveLength(1);
    } finally {
      // Not close(): that drops the database and queue keys it shares with the API service.
      await worker.running.close();
    }
  });

  it('a message whose job failed is retryable even if its event never heard of the failure', async () => {
    const accepted = await api.send(apiKey, SEED_EXAMPLES['inventory.adjust']);
    const messageId: string = accepted.body.messageId;
    // Failed in Redis by someone else than our processor: the event still says `received`.
    const outsider = new Worker(INBOUND_QUEUE, null, {
      connection: { url: apiService.env.REDIS_URL },
      prefix: queuePrefix(apiService.env),
    });
    try {
      const job = await outsider.getNextJob('outsider-token');
      expect(job?.id).toBe(messageId);
      await job!.moveToFailed(new UnrecoverableError('lost outcome'), 'outsider-token');
    } finally {
      await outsider.close();
    }
    expect((await api.waitForStatus(messageId, 'received')).status).toBe('received');

    const retried = await api.retry(messageId);
    expect(retried.status).toBe(202);
    const worker = await startWorker();
    try {
      await api.waitForStatus(messageId, 'succeeded');
    } finally {
      await worker.running.close();
    }
  });

  it('with the default WORKER_MAX_STALLED_COUNT, two stalls are just redelivered', async () => {
    const messageId = await acceptedAndStalledTwice();
    const worker = await startWorker();
    try {
      const event = await api.waitForStatus(messageId, 'succeeded');
      expect(event.attempts).toBe(1);
      expect(await appliedCalls(messageId)).toHaveLength(1);
    } finally {
      // Not close(): that drops the database and queue keys it shares with the API service.
      await worker.running.close();
    }
  });
});
