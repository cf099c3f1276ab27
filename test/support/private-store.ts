import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:net';
import { waitFor } from './http';
import { freePort } from './test-service';

const SCRIPT = join(__dirname, '..', '..', 'scripts', 'local-services.sh');

/**
 * The binary scripts/local-services.sh runs (a ferretdb on PATH, else its build with the local
 * patches, whose name carries their hash), asked of the script so the two never differ.
 */
function ferretdbBinary(): string {
  return execFileSync('bash', [SCRIPT, 'ferretdb-bin'], { encoding: 'utf8' }).trim();
}

/**
 * A document store of this test's own (FerretDB with its SQLite backend, as the local-services
 * script runs it), so a test can stop it and start it again, on the same port and data, without
 * disturbing the shared local store.
 */
export class PrivateStore {
  private process?: ChildProcess;
  private readonly dir = mkdtempSync(join(tmpdir(), 'avvyr-store-'));

  private constructor(readonly port: number) {}

  static async start(): Promise<PrivateStore> {
    const store = new PrivateStore(await freePort());
    await store.up();
    return store;
  }

  /** A MongoDB URI of this store for database `dbName`. */
  uri(dbName: string): string {
    return `mongodb://127.0.0.1:${this.port}/${dbName}`;
  }

  private get running(): boolean {
    return !!this.process && this.process.exitCode === null && this.process.signalCode === null;
  }

  async up(): Promise<void> {
    if (this.running) return;
    this.process = spawn(
      ferretdbBinary(),
      [
        '--handler=sqlite',
        `--sqlite-url=file:${this.dir}/`,
        `--listen-addr=127.0.0.1:${this.port}`,
        '--debug-addr=-',
        '--telemetry=disable',
        '--log-level=error',
        `--state-dir=${this.dir}`,
      ],
      { stdio: 'ignore' },
    );
    await waitFor(
      () => this.accepts(),
      (ok) => ok,
      { what: `document store on ${this.port}` },
    );
  }

  /** Stops the server as a crash would (SIGKILL) and waits until it is gone. */
  async down(): Promise<void> {
    const child = this.process;
    if (!child || !this.running) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    await this.down();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private accepts(): Promise<boolean> {
    return new Promise((resolve) => {
      const socket = connect(this.port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
  }
}
