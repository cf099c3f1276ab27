/**
 * `npx ts-node --transpile-only bench/tools/serial-latency.ts [N]`: starts the service as the
 * bench does, then sends N inbound messages one at a time (nothing else in flight) and prints the
 * latency percentiles: the floor a paced load's latency sits on.
 */
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { INBOUND_QUEUE } from '../../src/modules/inbound/inbound-queue';
import { loadConfig } from '../config';
import { seedMix } from '../lib/payloads';
import { startService } from '../lib/service';
import { round } from '../lib/stats';
import { BenchRedis } from '../lib/stores';

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 300);
  const config = loadConfig([], process.env);
  const id = randomBytes(3).toString('hex');
  const service = await startService(
    config,
    { database: `avvyr_bench_serial_${id}`, queuePrefix: `bench-serial-${id}` },
    'serial',
  );
  const redis = new BenchRedis(config.redisUrl, config.redisClusterNodes);
  const queue = redis.queue(service.env.QUEUE_PREFIX, INBOUND_QUEUE);
  try {
    // As in the bench's latency scenario, the worker stays idle: only the HTTP edge is timed.
    await queue.pause();
    const bodies = seedMix().map((body) => JSON.stringify(body));
    const latencies: number[] = [];
    for (let i = 0; i < n; i++) {
      const start = performance.now();
      const response = await fetch(`${service.url}/integrations/custom/inbound`, {
        method: 'POST',
        headers: { authorization: `Bearer ${service.apiKey}`, 'content-type': 'application/json' },
        body: bodies[i % bodies.length],
      });
      await response.arrayBuffer();
      if (response.status !== 202) throw new Error(`answered ${response.status}`);
      if (i >= 20) latencies.push(performance.now() - start);
    }
    latencies.sort((a, b) => a - b);
    const at = (q: number) => round(latencies[Math.floor(q * (latencies.length - 1))], 2);
    process.stdout.write(
      `serial latency over ${latencies.length} requests: p50 ${at(0.5)} ms, p90 ${at(0.9)} ms, p99 ${at(0.99)} ms\n`,
    );
  } finally {
    await service.child.stop(5000);
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    await redis.close();
  }
}

// Exits when done: fetch's keep-alive pool would otherwise hold the process open.
main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
