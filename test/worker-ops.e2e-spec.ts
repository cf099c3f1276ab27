import { Api } from './support/api';
import { http, waitFor } from './support/http';
import { startTestService, TestService } from './support/test-service';
import { SEED_EXAMPLES } from './fixtures/seed-examples';

/** Sum of the Prometheus samples of `name` whose labels include all of `labels`. */
function sample(text: string, name: string, labels: Record<string, string>): number {
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`))
    .filter((line) => Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`)))
    .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
}

/**
 * The split deployment: ROLE=api and ROLE=worker processes over one Redis and one database.
 * The worker serves no API, but answers probes and scrapes on its own PORT.
 */
describe('ROLE=worker: health and metrics of a worker-only process', () => {
  let apiService: TestService;
  let worker: TestService;
  let workerUrl: string;

  beforeAll(async () => {
    apiService = await startTestService({ ROLE: 'api' });
    worker = await startTestService({
      ROLE: 'worker',
      MONGODB_URI: apiService.env.MONGODB_URI,
      QUEUE_PREFIX: apiService.env.QUEUE_PREFIX,
      // The sandbox backend lives in the API process.
      AVVYR_API_URL: `${apiService.url}/sandbox/avvyr`,
    });
    workerUrl = `http://127.0.0.1:${worker.env.PORT}`;
  });
  afterAll(async () => {
    await worker?.close();
    await apiService?.close();
  });

  it('answers /health/live and /health/ready, and nothing of the API', async () => {
    expect((await http(`${workerUrl}/health/live`)).status).toBe(200);
    const ready = await http(`${workerUrl}/health/ready`);
    expect(ready.status).toBe(200);
    expect(ready.body.info).toEqual({ mongodb: { status: 'up' }, redis: { status: 'up' } });
    const api = await http(`${workerUrl}/integrations/custom/inbound`, { body: {} });
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).toContain('application/problem+json');
  });

  it('counts on the worker what it processed, and on the API what it accepted', async () => {
    const api = await Api.forAccount(apiService, 'acc-split');
    const { apiKey } = await api.newCustomIntegration();
    const accepted = await api.send(apiKey, SEED_EXAMPLES['price.set']);
    expect(accepted.status).toBe(202);
    await api.waitForStatus(accepted.body.messageId, 'succeeded');

    const labels = { source: 'inbound', action: 'price.set' };
    const workerMetrics = await waitFor(
      async () => (await http<string>(`${workerUrl}/metrics`)).body,
      (text) => sample(text, 'avvyr_messages_succeeded_total', labels) === 1,
      { what: 'the worker to count the success' },
    );
    expect(sample(workerMetrics, 'avvyr_messages_accepted_total', labels)).toBe(0);
    expect(workerMetrics).toMatch(/^avvyr_queue_jobs\{queue="inbound",state="completed"\} 1$/m);

    const apiMetrics = (await http<string>(`${apiService.url}/metrics`)).body;
    expect(sample(apiMetrics, 'avvyr_messages_accepted_total', labels)).toBe(1);
    expect(sample(apiMetrics, 'avvyr_messages_succeeded_total', labels)).toBe(0);
  });
});
