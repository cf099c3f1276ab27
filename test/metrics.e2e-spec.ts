import { Api } from './support/api';
import { http, waitFor } from './support/http';
import { startTestService, TestService } from './support/test-service';
import { SEED_EXAMPLES } from './fixtures/seed-examples';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses the Prometheus text format into samples. */
function parseMetrics(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!match) throw new Error(`Not a Prometheus sample: ${line}`);
      const labels = Object.fromEntries(
        [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]),
      );
      return { name: match[1], labels, value: Number(match[3]) };
    });
}

describe('Prometheus metrics at /metrics', () => {
  let service: TestService;
  let api: Api;
  let apiKey: string;

  beforeAll(async () => {
    service = await startTestService();
    api = await Api.forAccount(service, 'acc-ops');
    ({ apiKey } = await api.newCustomIntegration());
  });
  afterAll(() => service.close());

  async function scrape(from: TestService = service): Promise<Sample[]> {
    const response = await http<string>(`${from.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    return parseMetrics(response.body);
  }

  /** Sum of the samples of `name` whose labels include `labels`. */
  function value(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
    return samples
      .filter((s) => s.name === name)
      .filter((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v))
      .reduce((sum, s) => sum + s.value, 0);
  }

  async function sendAndWait(body: unknown, status: string) {
    const accepted = await api.send(apiKey, body);
    expect(accepted.status).toBe(202);
    await api.waitForStatus(accepted.body.messageId, status);
    return accepted.body.messageId as string;
  }

  it('counts accepted and succeeded messages by action, and times HTTP requests by route', async () => {
    const before = await scrape();
    const inventory = { source: 'inbound', action: 'inventory.set' };
    const price = { source: 'inbound', action: 'price.set' };
    const first = await sendAndWait(SEED_EXAMPLES['inventory.set'], 'succeeded');
    await sendAndWait(SEED_EXAMPLES['inventory.set'], 'succeeded');
    await sendAndWait(SEED_EXAMPLES['price.set'], 'succeeded');

    const after = await waitFor(
      () => scrape(),
      (s) => value(s, 'avvyr_messages_succeeded_total', inventory) >= 2,
      { what: 'the succeeded counter to move' },
    );
    const delta = (name: string, labels: Record<string, string>) =>
      value(after, name, labels) - value(before, name, labels);
    expect(delta('avvyr_messages_accepted_total', inventory)).toBe(2);
    expect(delta('avvyr_messages_succeeded_total', inventory)).toBe(2);
    expect(delta('avvyr_messages_accepted_total', price)).toBe(1);
    expect(delta('avvyr_messages_succeeded_total', price)).toBe(1);
    expect(delta('avvyr_messages_failed_total', inventory)).toBe(0);
    expect(
      delta('avvyr_message_processing_duration_seconds_count', {
        ...inventory,
        outcome: 'succeeded',
      }),
    ).toBe(2);
    expect(
      delta('avvyr_message_end_to_end_seconds_count', { ...inventory, outcome: 'succeeded' }),
    ).toBe(2);

    const accepted = {
      method: 'POST',
      route: '/integrations/custom/inbound',
      status_code: '202',
    };
    expect(delta('http_request_duration_seconds_count', accepted)).toBe(3);
    // Routes are labelled by their pattern, never by the raw URL (bounded label values).
    const eventRoutes = after
      .filter((s) => s.name === 'http_request_duration_seconds_count')
      .map((s) => s.labels.route);
    expect(eventRoutes).toContain('/v1/integrations/events/:messageId');
    expect(eventRoutes.some((route) => route.includes(first))).toBe(false);
  });

  it('counts event writes: a message processed as soon as it is accepted writes its event once', async () => {
    const quiet = (s: Sample[]) => value(s, 'avvyr_projection_backlog') === 0;
    const before = await waitFor(() => scrape(), quiet, { what: 'no projection waiting' });
    const writes = (s: Sample[], op: string) =>
      value(s, 'avvyr_projection_writes_total', { op }) -
      value(before, 'avvyr_projection_writes_total', { op });
    const messages = 6;
    for (let i = 0; i < messages; i++) await sendAndWait(SEED_EXAMPLES['price.set'], 'succeeded');

    // GET answers from the queued job until the event is written: wait for every write.
    const after = await waitFor(
      () => scrape(),
      (s) => quiet(s) && writes(s, 'insert') >= messages,
      { what: 'every event inserted' },
    );
    // Each event is created once, by one insert holding its received, processing and succeeded
    // steps; an update follows only when the worker took longer than the received step's linger
    // or the backend call outlasted the processing step's deferral (a loaded machine). Were the
    // received step written alone, every message would cost an insert and an update.
    expect(writes(after, 'insert')).toBe(messages);
    expect(writes(after, 'update')).toBeLessThan(messages);
  });

  it('counts automatic retries, permanent failures and manual retries', async () => {
    const customer = { source: 'inbound', action: 'customer.upsert' };
    const order = { source: 'inbound', action: 'order.update' };
    const before = await scrape();

    await api.injectFault({ action: 'customer.upsert', status: 503, times: 1 });
    await sendAndWait(SEED_EXAMPLES['customer.upsert'], 'succeeded');
    // The seed's order id does not exist in the backend: a permanent 404.
    const failed = await sendAndWait(SEED_EXAMPLES['order.update'], 'failed');
    expect((await api.retry(failed)).status).toBe(202);

    const after = await waitFor(
      () => scrape(),
      (s) =>
        value(s, 'avvyr_messages_retried_total', { ...order, trigger: 'manual' }) >
        value(before, 'avvyr_messages_retried_total', { ...order, trigger: 'manual' }),
      { what: 'the manual retry to be counted' },
    );
    const delta = (name: string, labels: Record<string, string>) =>
      value(after, name, labels) - value(before, name, labels);
    expect(delta('avvyr_messages_retried_total', { ...customer, trigger: 'automatic' })).toBe(1);
    expect(delta('avvyr_messages_succeeded_total', customer)).toBe(1);
    expect(
      delta('avvyr_message_processing_duration_seconds_count', {
        ...customer,
        outcome: 'retrying',
      }),
    ).toBe(1);
    expect(delta('avvyr_messages_failed_total', order)).toBeGreaterThanOrEqual(1);
    expect(delta('avvyr_messages_retried_total', { ...order, trigger: 'manual' })).toBe(1);
  });

  it('reports the depth of every queue by state', async () => {
    const samples = await scrape();
    const inbound = samples.filter(
      (s) => s.name === 'avvyr_queue_jobs' && s.labels.queue === 'inbound',
    );
    expect(inbound.map((s) => s.labels.state)).toEqual(
      expect.arrayContaining(['waiting', 'active', 'delayed', 'completed', 'failed']),
    );
    expect(value(samples, 'avvyr_queue_jobs', { queue: 'inbound', state: 'completed' })).toBe(
      (await service.queueCounts('inbound')).completed,
    );
    // The gauge is there, and drains to 0 once every step of the messages above is written (a
    // last step may still be on its way when their events already read succeeded).
    expect(samples.some((s) => s.name === 'avvyr_projection_backlog')).toBe(true);
    await waitFor(
      async () => value(await scrape(), 'avvyr_projection_backlog'),
      (backlog) => backlog === 0,
      { what: 'the projection backlog to drain' },
    );
    // Default process metrics come along.
    expect(samples.some((s) => s.name === 'process_cpu_seconds_total')).toBe(true);
  });
});
