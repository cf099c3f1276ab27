import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** Where the bench's children write their output (git-ignored). */
export const LOG_DIR = join(__dirname, '..', '..', '.local', 'bench');

const running = new Set<ChildProcess>();
// A bench stopped by a signal takes its children with it: no service is left behind.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    process.stderr.write(`[bench] ${signal}: stopping ${running.size} child process(es)\n`);
    running.forEach((child) => child.kill('SIGKILL'));
    process.exit(130);
  });
}

/** A Node child process of the bench: output to a log file, bounded start and stop. */
export class NodeChild {
  private readonly process: ChildProcess;
  private exited = false;
  private readonly exit: Promise<number | null>;

  constructor(
    readonly name: string,
    args: string[],
    env: Record<string, string>,
  ) {
    mkdirSync(LOG_DIR, { recursive: true });
    const log = createWriteStream(join(LOG_DIR, `${name}.log`));
    this.process = spawn(process.execPath, args, {
      cwd: join(__dirname, '..', '..'),
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.add(this.process);
    this.process.stdout!.pipe(log);
    this.process.stderr!.pipe(log);
    this.exit = new Promise((resolve) =>
      this.process.once('exit', (code) => {
        this.exited = true;
        running.delete(this.process);
        resolve(code);
      }),
    );
  }

  get pid(): number | undefined {
    return this.exited ? undefined : this.process.pid;
  }

  /** Resolves when `probe` answers true; fails if the child exits or `timeoutMs` passes. */
  async waitUntil(probe: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.exited) throw new Error(`${this.name} exited during start; see ${LOG_DIR}`);
      if (await probe().catch(() => false)) return;
      await sleep(100);
    }
    throw new Error(`${this.name} not ready after ${timeoutMs} ms; see ${LOG_DIR}`);
  }

  /** SIGTERM (graceful shutdown), then SIGKILL after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.exited) return;
    this.process.kill('SIGTERM');
    const timer = setTimeout(() => this.process.kill('SIGKILL'), graceMs);
    await this.exit;
    clearTimeout(timer);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** True once anything answers HTTP at `url` (any status). */
export async function answersHttp(url: string): Promise<boolean> {
  const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
  await response.arrayBuffer();
  return true;
}
