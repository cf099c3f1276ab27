import { Api } from './support/api';
import { waitFor } from './support/http';
import { ServiceProcess } from './support/service-process';
import { startTestService, TestService } from './support/test-service';
import { startWorkerFor } from './support/worker-process';

/**
 * Manual retries with the API and the worker in separate processes, as deployed: the API writes
 * an event's `manual-retry` step while the worker, which picked the run up at once, writes that
 * run's steps, each through its own connections. Both writes must land (on the local store that
 * takes scripts/ferretdb/atomic-updates.patch; on the build without it, 4 of these 30 stayed
 * `received` after their run succeeded: the cluster suite's one CI failure).
 */
describe('Manual retry: API and worker in separate processes', () => {
  let service: TestService;
  let worker: ServiceProcess;
  let api: Api;
  let apiKey: string;

  beforeAll(async () => {
    service = await startTestService({ ROLE: 'api' });
    worker = await startWorkerFor(service, 'retry-across-processes-worker');
    api = await Api.forAccount(service, 'acc-retry-procs');
    ({ apiKey } = await api.newCustomIntegration());
  }, 120_000);

  afterAll(async () => {
    await worker?.stop(10_000);
    await service?.close();
  }, 30_000);

  it('every retried event ends succeeded, with its manual-retry step and its run', async () => {
    const count = 30;
    // RETRY_ATTEMPTS is 4: every message fails for good, and the faults are used up by then.
    await api.injectFault({ action: 'inventory.adjust', status: 503, times: count * 4 });
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const sent = await api.send(apiKey, {
        action: 'inventory.adjust',
        data: { items: [{ sku: `RP-${i}`, adjustment: 1 }] },
      });
      expect(sent.status).toBe(202);
      ids.push(sent.body.messageId);
    }
    for (const id of ids) await api.waitUntilFailed(id, 60_000);

    const retried = await Promise.all(ids.map((id) => api.retry(id)));
    expect(retried.map((r) => r.status)).toEqual(Array(count).fill(202));

    // All of them at once: an event whose step was lost stays where it is, and is named below.
    const statuses = () =>
      Promise.all(ids.map(async (id) => ({ id, event: (await api.event(id)).body })));
    const last = await waitFor(
      statuses,
      (all) => all.every(({ event }) => event.status === 'succeeded'),
      { timeoutMs: 30_000, what: 'every retried event to be succeeded' },
    ).catch(() => statuses());
    const stuck = last.filter(({ event }) => event.status !== 'succeeded');
    for (const { event } of last) {
      if (event.status !== 'succeeded') continue;
      const steps = event.timeline.filter((s: any) => s.run === 1).map((s: any) => s.step);
      expect(steps).toEqual(expect.arrayContaining(['manual-retry', 'succeeded']));
    }
    expect(stuck.map(({ id, event }) => `${id}: ${event.status}`)).toEqual([]);
    const { inventory } = await api.sandboxState();
    for (let i = 0; i < count; i++) expect(inventory[`RP-${i}`]).toEqual({ default: 1 });
  }, 240_000);
});
