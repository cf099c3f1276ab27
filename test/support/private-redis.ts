import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import IORedis from 'ioredis';
import { waitFor } from './http';
import { freePort } from './test-service';

/**
 * A Redis of this test's own (configured like the real one: AOF, noeviction), so a test can
 * stop and start it without disturbing anything else that uses the shared local Redis.
 */
export class PrivateRedis {
  private process?: ChildProcess;
  private readonly dir = mkdtempSync(join(tmpdir(), 'avvyr-redis-'));

  private constructor(
    readonly port: number,
    private readonly appendfsync: 'always' | 'everysec',
  ) {}

  /**
   * `appendfsync: 'everysec'` for a test that judges answers, not durability (the fuzz test):
   * no fsync stall of a shared disk on every write.
   */
  static async start(options: { appendfsync?: 'always' | 'everysec' } = {}): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort(), options.appendfsync ?? 'always');
    await redis.up();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts the server unless it is already running (a second one could not bind the port). */
  async up(): Promise<void> {
    if (this.process && this.process.exitCode === null && this.process.signalCode === null) return;
    this.process = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--dir',
        this.dir,
        '--appendonly',
        'yes',
        '--appendfsync',
        this.appendfsync,
        '--save',
        '',
        '--maxmemory-policy',
        'noeviction',
      ],
      { stdio: 'ignore' },
    );
    await waitFor(
      () => this.ping(),
      (ok) => ok,
      { what: `redis on ${this.port}` },
    );
  }

  /** Stops the server the way a crash or restart would (SIGKILL) and waits until it is gone. */
  async down(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  pause(): void {
    this.process?.kill('SIGSTOP');
  }

  resume(): void {
    this.process?.kill('SIGCONT');
  }

  async stop(): Promise<void> {
    this.resume();
    await this.down();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async ping(): Promise<boolean> {
    const client = new IORedis(this.url, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
      return (await client.ping()) === 'PONG';
    } catch {
      return false;
    } finally {
      client.disconnect();
    }
  }
}
