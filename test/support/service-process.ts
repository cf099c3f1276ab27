import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { http, waitFor } from './http';
import { freePort } from './test-service';

/** Where the service processes of the tests write their logs (git-ignored). */
export const PROCESS_LOG_DIR = join(__dirname, '..', '..', '.local', 'test-logs');

const ROOT = join(__dirname, '..', '..');
const running = new Set<ChildProcess>();
// Should jest stop early, no service process outlives it.
process.once('exit', () => running.forEach((child) => child.kill('SIGKILL')));

/**
 * The service as a process of its own, from source (ts-node), as a deployment runs it: a
 * `ROLE=worker` one can be killed with SIGKILL mid-job, which no in-process service can show.
 * Its JSON log lines go to a file under .local/test-logs, not to the test's output.
 */
export class ServiceProcess {
  private exited = false;
  private readonly exit: Promise<void>;

  private constructor(
    readonly name: string,
    readonly url: string,
    private readonly child: ChildProcess,
  ) {
    running.add(child);
    this.exit = new Promise((resolve) =>
      child.once('exit', () => {
        this.exited = true;
        running.delete(child);
        resolve();
      }),
    );
  }

  /**
   * Starts it with `env` on a free port and waits until `/health/ready` answers 200 (an API or a
   * worker: both serve it).
   */
  static async start(name: string, env: Record<string, string>): Promise<ServiceProcess> {
    const port = await freePort();
    mkdirSync(PROCESS_LOG_DIR, { recursive: true });
    const log = createWriteStream(join(PROCESS_LOG_DIR, `${name}.log`), { flags: 'a' });
    const child = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', 'src/main.ts'],
      {
        cwd: ROOT,
        env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'warn', ...env, PORT: String(port) },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout.pipe(log);
    child.stderr.pipe(log);
    const service = new ServiceProcess(name, `http://127.0.0.1:${port}`, child);
    try {
      await waitFor(
        async () => {
          if (service.exited)
            throw new Error(`${name} exited during start; see ${PROCESS_LOG_DIR}`);
          return (await http(`${service.url}/health/ready`).catch(() => ({ status: 0 }))).status;
        },
        (status) => status === 200,
        { timeoutMs: 90_000, intervalMs: 200, what: `${name} to be ready` },
      );
    } catch (error) {
      await service.kill();
      throw error;
    }
    return service;
  }

  get pid(): number | undefined {
    return this.exited ? undefined : this.child.pid;
  }

  /** kill -9: no drain, no last write; resolves once the process is gone. */
  async kill(): Promise<void> {
    if (this.exited) return;
    this.child.kill('SIGKILL');
    await this.exit;
  }

  /** SIGTERM (graceful shutdown); SIGKILL if it has not exited after `graceMs`. */
  async stop(graceMs = 30_000): Promise<void> {
    if (this.exited) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exit;
    clearTimeout(timer);
  }
}
