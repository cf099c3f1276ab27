import { http, waitFor } from './support/http';
import { PrivateRedis } from './support/private-redis';
import { startTestService, TestService } from './support/test-service';

/**
 * Readiness is what a load balancer asks of the API role, so this suite runs ROLE=api on a
 * Redis of its own, which it stops and restarts without disturbing any other suite.
 */
describe('Health probes: /health/live and /health/ready', () => {
  let redis: PrivateRedis;
  let service: TestService;

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    service = await startTestService({ REDIS_URL: redis.url, ROLE: 'api' });
  });
  afterAll(async () => {
    await service?.close();
    await redis?.stop();
  });

  it('answers both with MongoDB and Redis up', async () => {
    const live = await http(`${service.url}/health/live`);
    expect(live.status).toBe(200);
    expect(live.body.status).toBe('ok');
    const ready = await http(`${service.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({
      status: 'ok',
      info: { mongodb: { status: 'up' }, redis: { status: 'up' } },
    });
  });

  it('turns /health/ready to 503 problem+json naming Redis while it is down, and back once it returns', async () => {
    await redis.down();
    const down = await waitFor(
      () => http(`${service.url}/health/ready`),
      (r) => r.status === 503,
      { what: 'readiness to report Redis down' },
    );
    expect(down.headers.get('content-type')).toContain('application/problem+json');
    expect(down.body).toMatchObject({ status: 503, code: 'SERVICE_UNHEALTHY' });
    expect(down.body.errors.map((e: { path: string }) => e.path)).toEqual(['redis']);
    expect(down.headers.get('x-correlation-id')).toBe(down.body.correlationId);
    // Liveness does not depend on Redis: restarting the process would not help.
    expect((await http(`${service.url}/health/live`)).status).toBe(200);
    // Metrics still answer, without the queue gauges Redis cannot give.
    const metrics = await http<string>(`${service.url}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.body).toContain('http_request_duration_seconds');
    expect(metrics.body).not.toMatch(/^avvyr_queue_jobs\{/m);

    await redis.up();
    const ready = await waitFor(
      () => http(`${service.url}/health/ready`),
      (r) => r.status === 200,
      { what: 'readiness to recover' },
    );
    expect(ready.body.info.redis.status).toBe('up');
  });
});
