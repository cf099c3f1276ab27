import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Keeps `npm run bench` working: every scenario runs with tiny sizes (the service from source),
 * and the report names each figure with the command that produced it. Asserts nothing about speed.
 */
describe('bench smoke', () => {
  it('runs every scenario and writes a report with a command for each figure', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'bench-smoke-')), 'smoke.json');
    const { code, output } = await run(
      [
        '-r',
        'ts-node/register/transpile-only',
        'bench/run.ts',
        '--smoke',
        '--service=source',
        `--out=${out}`,
      ],
      540_000,
    );
    expect({ code, output: output.slice(-3000) }).toMatchObject({ code: 0 });

    const report = JSON.parse(readFileSync(out, 'utf8'));
    const ids = report.figures.map((f: { id: string }) => f.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'ingest.ratio',
        'ingest.ours.machineCpuMs',
        'ingest.baseline.machineCpuMs',
        'latency.p99',
        'latency.eventLoopLag',
        'latency.baseline.p99',
        'processing.ratio',
        'processing.hot.ratio',
        'batch.ratio',
        'batch.baselineRatio',
        'memory.rss',
        'memory.redis.after',
        'growth.ratio',
      ]),
    );
    for (const f of report.figures) {
      expect(typeof f.value).toBe('number');
      expect(f.command).toEqual(expect.any(String));
    }
    expect(report.results.processing.ours.succeeded).toBe(report.results.processing.ours.messages);
    expect(report.results.processing.baseline.succeeded).toBe(
      report.results.processing.baseline.messages,
    );
  }, 600_000);
});

function run(args: string[], timeoutMs: number): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: join(__dirname, '..'), env: process.env });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}
