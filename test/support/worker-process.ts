import { NodeChild } from '../../bench/lib/child';
import { http } from './http';
import { freePort, TestService } from './test-service';

/**
 * A ROLE=worker process of its own (a real OS process, so a test can SIGKILL it) that shares the
 * API test service's Redis, database and queue prefix, and calls the sandbox backend it hosts.
 */
export class WorkerProcess {
  private constructor(
    readonly child: NodeChild,
    readonly url: string,
  ) {}

  static async start(
    api: TestService,
    name: string,
    overrides: Record<string, string> = {},
  ): Promise<WorkerProcess> {
    const port = await freePort();
    const child = new NodeChild(name, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
      NODE_ENV: 'test',
      ROLE: 'worker',
      PORT: String(port),
      MONGODB_URI: api.env.MONGODB_URI,
      REDIS_URL: api.env.REDIS_URL,
      QUEUE_PREFIX: api.env.QUEUE_PREFIX,
      MANAGEMENT_JWT_SECRET: api.env.MANAGEMENT_JWT_SECRET,
      SECRETS_KEY: api.env.SECRETS_KEY,
      AVVYR_API_URL: `${api.url}/sandbox/avvyr`,
      AVASAM_API_URL: `${api.url}/sandbox/avasam`,
      RETRY_ATTEMPTS: String(api.env.RETRY_ATTEMPTS),
      RETRY_BASE_DELAY_MS: String(api.env.RETRY_BASE_DELAY_MS),
      LOG_LEVEL: 'warn',
      ...overrides,
    });
    const url = `http://127.0.0.1:${port}`;
    await child.waitUntil(async () => (await http(`${url}/health/ready`)).status === 200, 120_000);
    return new WorkerProcess(child, url);
  }

  /** A crash: no shutdown, its active jobs are left for BullMQ's stalled-job recovery. */
  kill(): Promise<void> {
    return this.child.kill('SIGKILL');
  }

  stop(): Promise<void> {
    return this.child.stop(5000);
  }
}
