import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import IORedis from 'ioredis';
import mongoose from 'mongoose';
import { loadEnv } from '../../src/config/env';
import { signManagementToken } from '../../src/modules/integrations/auth/management-token.service';
import { http, waitFor } from './http';
import { freePort, testMongoUri } from './test-service';

/**
 * The real service as a process of its own (`src/main.ts`), for tests that must see it survive
 * (or die) and read its stdout: what an in-process service cannot show.
 */
export interface IsolatedService {
  url: string;
  child: ChildProcess;
  stdout(): string;
  token(accountId: string): Promise<string>;
  alive(): boolean;
  close(): Promise<void>;
}

export async function startIsolatedService(
  overrides: Record<string, string> = {},
): Promise<IsolatedService> {
  const id = randomBytes(4).toString('hex');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    MONGODB_URI: testMongoUri(`avvyr_test_proc_${id}`),
    QUEUE_PREFIX: `test-proc-${id}`,
    RETRY_ATTEMPTS: '3',
    RETRY_BASE_DELAY_MS: '50',
    ...overrides,
    PORT: String(port),
  };
  let out = '';
  let err = '';
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
    cwd: join(__dirname, '../..'),
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  await waitFor(
    () => http(`${url}/health/ready`).catch(() => ({ status: 0 })),
    (r) => r.status === 200 || child.exitCode !== null,
    { timeoutMs: 60_000, intervalMs: 200, what: 'the service process to start' },
  );
  if (child.exitCode !== null) throw new Error(`service exited: ${err}\n${out}`);
  const resolved = loadEnv({ ...process.env, ...env });
  const key = new TextEncoder().encode(resolved.MANAGEMENT_JWT_SECRET);
  return {
    url,
    child,
    stdout: () => out,
    token: (accountId) => signManagementToken(key, { sub: 'test', accountId }, '1h'),
    alive: () => child.exitCode === null && child.signalCode === null,
    close: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      const connection = await mongoose.createConnection(resolved.MONGODB_URI).asPromise();
      await connection.dropDatabase().catch(() => undefined);
      await connection.close();
      const redis = new IORedis(resolved.REDIS_URL);
      const keys = await redis.keys(`${env.QUEUE_PREFIX}:*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
    },
  };
}
