import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import IORedis from 'ioredis';
import { redisUrlOf } from '../src/config/local-services';
import mongoose from 'mongoose';
import { signManagementToken } from '../src/modules/integrations/auth/management-token.service';
import { http, waitFor } from './support/http';
import { freePort, testMongoUri } from './support/test-service';
import { SEED_EXAMPLES } from './fixtures/seed-examples';

interface LogLine {
  level: string;
  msg: string;
  [field: string]: unknown;
}

/**
 * Runs the real service as its own process (as in production: JSON lines on stdout) with
 * distinctive secrets, and reads what it writes.
 */
describe('Structured logs: JSON lines, message journeys, no secrets', () => {
  const id = randomBytes(4).toString('hex');
  const secrets = {
    MANAGEMENT_JWT_SECRET: `mgmt-secret-${id}-${randomBytes(16).toString('hex')}`,
    SECRETS_KEY: randomBytes(32).toString('hex'),
    AVVYR_API_TOKEN: `avvyr-token-${id}-${randomBytes(8).toString('hex')}`,
  };
  const env = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'debug',
    MONGODB_URI: testMongoUri(`avvyr_test_logs_${id}`),
    QUEUE_PREFIX: `test-logs-${id}`,
    RETRY_ATTEMPTS: '3',
    RETRY_BASE_DELAY_MS: '50',
    ...secrets,
  };
  let child: ChildProcess;
  let url: string;
  let stdout = '';
  let stderr = '';
  let managementToken: string;
  let apiKey: string;
  const correlationId = `logs-test-${id}`;
  let messageId: string;
  let consumerKey: string;

  const lines = (): LogLine[] =>
    stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as LogLine);

  beforeAll(async () => {
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
      cwd: join(__dirname, '..'),
      env: { ...process.env, ...env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await waitFor(
      () => http(`${url}/health/ready`).catch(() => ({ status: 0 })),
      (r) => r.status === 200 || child.exitCode !== null,
      { timeoutMs: 60_000, intervalMs: 200, what: 'the service to start' },
    );
    if (child.exitCode !== null) throw new Error(`service exited: ${stderr}\n${stdout}`);

    const key = new TextEncoder().encode(secrets.MANAGEMENT_JWT_SECRET);
    managementToken = await signManagementToken(key, { sub: 'ops', accountId: 'acc-logs' }, '1h');
    const created = await http(`${url}/v1/integrations/`, {
      token: managementToken,
      body: { service: 'custom', enabled: true, name: 'Logs' },
    });
    expect(created.status).toBe(201);
    apiKey = created.body.apiKey;

    // One retry on the way, so the journey has more than the happy steps.
    await http(`${url}/sandbox/avvyr/faults`, {
      body: { action: 'inventory.set', status: 503, times: 1 },
    });
    const accepted = await http(`${url}/integrations/custom/inbound`, {
      token: apiKey,
      body: SEED_EXAMPLES['inventory.set'],
      headers: { 'x-correlation-id': correlationId },
    });
    expect(accepted.status).toBe(202);
    messageId = accepted.body.messageId;
    // Credentials in places they do not belong: a query string, an unknown key.
    await http(`${url}/integrations/custom/inbound?access_token=${apiKey}`, {
      body: SEED_EXAMPLES['inventory.set'],
    });
    await http(`${url}/v1/integrations/events/filter?token=${managementToken}`, { body: {} });
    // The sandbox Avasam names a seller by its consumer key in its URLs.
    const seller = await http(`${url}/sandbox/avasam/sellers`, { body: {} });
    expect(seller.status).toBe(201);
    consumerKey = seller.body.consumerKey;
    for (const path of ['', '/expire-tokens']) {
      const answer = await http(`${url}/sandbox/avasam/sellers/${consumerKey}${path}`, {
        method: path ? 'POST' : 'PATCH',
        body: path ? undefined : { tokenTtlSeconds: 60 },
        headers: { 'x-correlation-id': `${correlationId}-seller` },
      });
      expect(answer.status).toBe(200);
    }
    await waitFor(
      async () => lines(),
      (all) => all.some((l) => l.messageId === messageId && l.step === 'succeeded'),
      { what: 'the succeeded step to be logged' },
    );
    // The event can be read with the management token (one more authenticated request).
    const event = await http(`${url}/v1/integrations/events/${messageId}`, {
      token: managementToken,
    });
    expect(event.body.status).toBe('succeeded');
  }, 90_000);

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    const connection = await mongoose.createConnection(env.MONGODB_URI).asPromise();
    await connection.dropDatabase().catch(() => undefined);
    await connection.close();
    const redis = new IORedis(redisUrlOf());
    const keys = await redis.keys(`${env.QUEUE_PREFIX}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it('writes only JSON lines, each with a level, a time and a message', () => {
    const all = lines();
    expect(all.length).toBeGreaterThan(10);
    for (const line of all) {
      expect(line).toMatchObject({ level: expect.any(String), time: expect.any(String) });
      expect(typeof line.msg).toBe('string');
    }
  });

  it('says the address the socket is bound to (every interface), not only the local URL', () => {
    const started = lines().find((line) => line.msg.startsWith('Listening on'));
    expect(started?.msg).toContain(`Listening on http://0.0.0.0:${new URL(url).port} `);
    expect(started?.msg).toContain(`locally ${url}`);
  });

  it('never writes the API key, the management token or any configured secret', () => {
    const output = stdout + stderr;
    for (const secret of [apiKey, managementToken, ...Object.values(secrets)]) {
      expect(output.includes(secret)).toBe(false);
    }
    // The request that put the key in its URL is logged, with the key masked.
    const leaked = lines().find((l) => String((l.req as any)?.url).includes('access_token'));
    expect((leaked?.req as any)?.url).toBe('/integrations/custom/inbound?access_token=[Redacted]');
  });

  it('masks the consumer key in the sandbox Avasam URLs it logs', () => {
    expect(consumerKey).toMatch(/^[0-9a-f-]{36}$/);
    expect((stdout + stderr).includes(consumerKey)).toBe(false);
    const urls = lines()
      .filter((l) => l.correlationId === `${correlationId}-seller` && l.req)
      .map((l) => (l.req as any).url);
    expect(urls).toEqual([
      '/sandbox/avasam/sellers/[Redacted]',
      '/sandbox/avasam/sellers/[Redacted]/expire-tokens',
    ]);
  });

  it('logs every step of a message with its messageId and correlationId', () => {
    const journey = lines().filter((l) => l.messageId === messageId);
    expect(journey.map((l) => l.step)).toEqual([
      'received',
      'processing',
      'retrying',
      'processing',
      'succeeded',
    ]);
    for (const line of journey) {
      expect(line).toMatchObject({
        correlationId,
        integrationId: expect.any(String),
        accountId: 'acc-logs',
        action: 'inventory.set',
      });
    }
    expect(journey.find((l) => l.step === 'retrying')).toMatchObject({
      level: 'info',
      error: { code: 'AVVYR_HTTP_503', retryable: true },
    });
  });

  it('logs each request once, keyed by the correlationId the caller sent', () => {
    const related = lines().filter((l) => l.correlationId === correlationId && l.req);
    const inbound = related.filter((l) => (l.req as any).url === '/integrations/custom/inbound');
    expect(inbound).toHaveLength(1);
    expect(inbound[0]).toMatchObject({
      level: 'info',
      req: { method: 'POST' },
      res: { statusCode: 202 },
    });
    expect(JSON.stringify(related)).not.toMatch(/authorization/i);
    // The worker forwards the correlation id to the backend: its calls (here the sandbox's) are
    // part of the same journey; the injected 503 is logged without a made-up stack.
    const backend = related.filter((l) => String((l.req as any).url).startsWith('/sandbox/avvyr'));
    expect(backend.map((l) => (l.res as any).statusCode)).toEqual([503, 200]);
    expect(backend[0].err).toBeUndefined();
  });
});
