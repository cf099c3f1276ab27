import { Api } from './support/api';
import { waitFor } from './support/http';
import { startTestService, TestService } from './support/test-service';
import { SEED_EXAMPLES } from './fixtures/seed-examples';

/**
 * A burst of messages makes the projection writer batch hundreds of steps at once. Batches over
 * 100 update statements used to wedge the local FerretDB database (one connection per statement,
 * 100 per database), leaving every event of the burst unprojected.
 */
describe('Projection batching under a burst of messages', () => {
  let service: TestService;
  let api: Api;
  let apiKey: string;

  beforeAll(async () => {
    service = await startTestService();
    api = await Api.forAccount(service, 'acc-burst');
    ({ apiKey } = await api.newCustomIntegration());
  });
  afterAll(() => service.close());

  it('projects every step of 150 messages sent at once', async () => {
    const accepted = await Promise.all(
      Array.from({ length: 150 }, () => api.send(apiKey, SEED_EXAMPLES['inventory.set'])),
    );
    expect(accepted.map((r) => r.status)).toEqual(Array(150).fill(202));

    const page = await waitFor(
      () => api.filter({ status: 'succeeded', limit: 200 }),
      (r) => r.status === 200 && r.body.items.length === 150,
      { timeoutMs: 60_000, what: '150 succeeded events' },
    );
    const sent = new Set(accepted.map((r) => r.body.messageId));
    expect(page.body.items.every((e: { messageId: string }) => sent.has(e.messageId))).toBe(true);
    const detail = await api.event(accepted[149].body.messageId);
    expect(detail.body.timeline.map((s: { step: string }) => s.step)).toEqual([
      'received',
      'processing',
      'succeeded',
    ]);
  });
});
