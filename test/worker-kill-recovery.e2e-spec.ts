import { Queue } from 'bullmq';
import { Api } from './support/api';
import { http, waitFor } from './support/http';
import { ServiceProcess } from './support/service-process';
import { startTestService, TestService } from './support/test-service';
import { INBOUND_QUEUE } from '../src/modules/inbound/inbound-queue';
import { queuePrefix } from '../src/config/redis';

/** With the default lock and stalled-check settings, a killed worker's jobs move on quickly. */
describe('Worker kill -9: its jobs are picked up again within 15 s (default settings)', () => {
  let apiService: TestService;
  let doomed: ServiceProcess | undefined;
  let rescuer: TestService | undefined;
  let queue: Queue;

  beforeAll(async () => {
    apiService = await startTestService({ ROLE: 'api' });
    queue = new Queue(INBOUND_QUEUE, {
      connection: { url: apiService.env.REDIS_URL },
      prefix: queuePrefix(apiService.env),
    });
  });
  afterAll(async () => {
    await doomed?.kill();
    await rescuer?.running.close();
    await queue?.close();
    await apiService?.close();
  });

  it('recovers every job the dead worker held, each applied once', async () => {
    const api = await Api.forAccount(apiService, 'acc-kill');
    const { apiKey } = await api.newCustomIntegration();
    const worker = {
      ROLE: 'worker',
      MONGODB_URI: apiService.env.MONGODB_URI,
      REDIS_URL: apiService.env.REDIS_URL,
      QUEUE_PREFIX: apiService.env.QUEUE_PREFIX,
      AVVYR_API_URL: `${apiService.url}/sandbox/avvyr`,
    };
    doomed = await ServiceProcess.start('kill-recovery-worker', worker);
    // Backend calls take long enough for the kill to land while every job is active.
    await http(`${apiService.url}/sandbox/avvyr/latency`, { method: 'PUT', body: { ms: 2000 } });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const accepted = await api.send(apiKey, {
        action: 'inventory.adjust',
        data: { items: [{ sku: `KILL-${i}`, adjustment: 1 }] },
      });
      expect(accepted.status).toBe(202);
      ids.push(accepted.body.messageId);
    }
    const jobs = () => Promise.all(ids.map(async (id) => (await queue.getJob(id))!));
    await waitFor(jobs, (all) => all.every((job) => job.attemptsStarted === 1 && !job.finishedOn), {
      what: 'the doomed worker to hold every job',
    });
    // Another worker, already running, is the one to pick them up.
    rescuer = await startTestService(worker);

    await doomed.kill();
    const killedAt = Date.now();
    await waitFor(jobs, (all) => all.every((job) => job.attemptsStarted >= 2), {
      timeoutMs: 15_000,
      intervalMs: 100,
      what: "the killed worker's jobs to be picked up again",
    });
    const recoveredMs = Date.now() - killedAt;
    for (const id of ids) await api.waitForStatus(id, 'succeeded');

    const state = await api.sandboxState();
    for (let i = 0; i < 5; i++) expect(state.inventory[`KILL-${i}`]).toEqual({ default: 1 });
    expect(recoveredMs).toBeLessThan(15_000);
  }, 120_000);
});
