import { Api } from './support/api';
import { http, waitFor } from './support/http';
import type { ServiceProcess } from './support/service-process';
import { startTestService, TestService } from './support/test-service';
import { startWorkerFor } from './support/worker-process';

/**
 * A worker killed (SIGKILL) or shut down (SIGTERM) in the middle of a bulk replay: another
 * worker resumes it from the stored cursor, and its counts come out right, no event queued twice.
 */
describe('Bulk replay across a worker crash or shutdown', () => {
  const TOTAL = 600;
  let api: TestService;
  const workers: ServiceProcess[] = [];
  // Shorter locks than the default, so the dead worker's replay job is handed over sooner; not
  // so short that a busy machine loses them to its own stalled-job check.
  const fastRecovery = { WORKER_LOCK_DURATION_MS: '5000', WORKER_STALLED_INTERVAL_MS: '2000' };

  beforeAll(async () => {
    api = await startTestService({ ROLE: 'api', RETRY_ATTEMPTS: '1' });
  }, 120_000);
  afterAll(async () => {
    for (const worker of workers) await worker.kill();
    await api?.close();
  });

  it.each([
    ['SIGKILL', (worker: ServiceProcess) => worker.kill()],
    ['SIGTERM', (worker: ServiceProcess) => worker.stop()],
  ])(
    'after %s it resumes where it stopped: each event queued once, all succeeded',
    async (signal, end) => {
      const user = await Api.forAccount(api, `acc-replay-${signal}`);
      const first = await startWorkerFor(api, `replay-${signal}-first`, fastRecovery);
      workers.push(first);
      const progress = (replayId: string) =>
        http(`${api.url}/v1/integrations/events/retries/${replayId}`, {
          token: user.managementToken,
        });
      const { apiKey } = await user.newCustomIntegration();
      await user.injectFault({ status: 503, times: 10_000 });
      const messages = Array.from({ length: TOTAL }, (_, i) => ({
        action: 'inventory.set',
        data: { items: [{ sku: `${signal}-${i}`, quantity: i + 1 }] },
      }));
      const sent = await http(`${api.url}/integrations/custom/inbound/batch`, {
        token: apiKey,
        body: { messages },
      });
      expect(sent.body.accepted).toBe(TOTAL);
      const dryRun = () =>
        http(`${api.url}/v1/integrations/events/retry`, {
          token: user.managementToken,
          body: { dryRun: true },
        });
      await waitFor(dryRun, (r) => r.body.matched === TOTAL, {
        timeoutMs: 120_000,
        intervalMs: 500,
        what: 'every message to fail',
      });
      await fetch(`${api.url}/sandbox/avvyr/faults`, { method: 'DELETE' });

      const started = await http(`${api.url}/v1/integrations/events/retry`, {
        token: user.managementToken,
        body: {},
      });
      expect(started.status).toBe(202);
      const { replayId } = started.body;
      // Stopped once it has stored a page, well before the last one.
      const before = await waitFor(
        () => progress(replayId),
        (r) => r.body.queued >= 100,
        { timeoutMs: 60_000, intervalMs: 20, what: 'the first page to be stored' },
      );
      await end(first);
      expect(before.body.status).toBe('running');
      expect(before.body.queued).toBeLessThan(TOTAL);
      workers.push(await startWorkerFor(api, `replay-${signal}-second`, fastRecovery));

      const final = await waitFor(
        () => progress(replayId),
        (r) => r.body.status === 'done' && r.body.done === TOTAL,
        { timeoutMs: 180_000, intervalMs: 250, what: 'the resumed replay to finish' },
      );
      expect(final.body).toMatchObject({
        matched: TOTAL,
        queued: TOTAL,
        skipped: 0,
        done: TOTAL,
        failed: 0,
      });
      expect((await dryRun()).body.matched).toBe(0);
      // No event was queued twice by the replay: one manual-retry step at most each (an event
      // requeued in the instant of the kill may lack its step; its job carried the replay id).
      let withStep = 0;
      let cursor: string | undefined;
      do {
        const page = await user.filter({ limit: 200, ...(cursor && { cursor }) });
        for (const summary of page.body.items) {
          const event = (await user.event(summary.messageId)).body;
          expect(summary.status).toBe('succeeded');
          const steps = event.timeline.filter((s: any) => s.step === 'manual-retry');
          expect(steps.length).toBeLessThanOrEqual(1);
          withStep += steps.length;
        }
        cursor = page.body.nextCursor ?? undefined;
      } while (cursor);
      expect(withStep).toBeGreaterThan(TOTAL - 25);
      const state = await user.sandboxState();
      // Each case starts from its own single worker.
      for (const worker of workers.splice(0)) await worker.kill();
      expect(state.inventory[`${signal}-0`]).toEqual({ default: 1 });
      expect(state.inventory[`${signal}-${TOTAL - 1}`]).toEqual({ default: TOTAL });
    },
    400_000,
  );
});
