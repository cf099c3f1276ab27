/**
 * `npx ts-node --transpile-only bench/tools/serial-latency.ts [N]`: starts the service as the
 * bench does (its worker paused) and the bench's bare Fastify baseline, then sends N inbound
 * messages to each, one at a time (nothing else in flight), alternating sides in rounds of 50,
 * and prints each side's latency percentiles: the floor a paced load's latency sits on.
 */
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { INBOUND_QUEUE } from '../../src/modules/inbound/inbound-queue';
import { loadConfig, mongoUri } from '../config';
import { startFastifyBaseline } from '../lib/baseline';
import { seedMix } from '../lib/payloads';
import { cpuSeconds } from '../lib/rss';
import { startService } from '../lib/service';
import { ratio, round } from '../lib/stats';
import { BenchRedis, dropDatabase } from '../lib/stores';

const ROUND = 50;
const WARMUP = 20;

interface Side {
  name: string;
  url: string;
  apiKey?: string;
  pid: () => number | undefined;
  latencies: number[];
  /** CPU seconds the serving process spent on the timed requests. */
  cpuSeconds: number;
}

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 300);
  const config = loadConfig([], process.env);
  const id = randomBytes(3).toString('hex');
  const database = `avvyr_bench_serial_${id}`;
  const baselinePrefix = `bench-serial-base-${id}`;
  const service = await startService(
    config,
    { database, queuePrefix: `bench-serial-${id}` },
    'serial',
  );
  const baseline = await startFastifyBaseline(config, baselinePrefix, 'serial-baseline');
  const redis = new BenchRedis(config.redisUrl, config.redisClusterNodes);
  const queues = [
    redis.queue(service.env.QUEUE_PREFIX, INBOUND_QUEUE),
    redis.queue(baselinePrefix, INBOUND_QUEUE),
  ];
  try {
    // As in the bench's latency scenario, our worker stays idle: only the HTTP edge is timed.
    await queues[0].pause();
    const sides: Side[] = [
      {
        name: 'ours',
        url: `${service.url}/integrations/custom/inbound`,
        apiKey: service.apiKey,
        pid: () => service.child.pid,
        latencies: [],
        cpuSeconds: 0,
      },
      {
        name: 'baseline',
        url: baseline.inboundUrl,
        pid: () => baseline.child.pid,
        latencies: [],
        cpuSeconds: 0,
      },
    ];
    const bodies = seedMix().map((body) => JSON.stringify(body));
    for (const side of sides) await send(side, bodies, WARMUP, false);
    for (let sent = 0; sent < n; sent += ROUND) {
      for (const side of sides) await send(side, bodies, Math.min(ROUND, n - sent), true);
    }
    const [ours, bare] = sides.map((side) => percentiles(side.latencies));
    for (const [side, p] of [
      [sides[0], ours],
      [sides[1], bare],
    ] as const) {
      const cpuMs = round((side.cpuSeconds * 1000) / side.latencies.length, 2);
      process.stdout.write(
        `serial latency, ${side.name}, ${n} requests: p50 ${p.p50} ms, p90 ${p.p90} ms, ` +
          `p99 ${p.p99} ms; server CPU (all its threads) ${cpuMs} ms per request\n`,
      );
    }
    process.stdout.write(`p50 ours ÷ baseline: ${ratio(ours.p50, bare.p50)}\n`);
  } finally {
    await service.child.stop(5000);
    await baseline.child.stop();
    for (const queue of queues) {
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
    }
    await redis.close();
    await dropDatabase(mongoUri(config.mongoBaseUri, database));
  }
}

async function send(side: Side, bodies: string[], count: number, keep: boolean): Promise<void> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (side.apiKey) headers.authorization = `Bearer ${side.apiKey}`;
  const cpuBefore = cpuSeconds(side.pid()!) ?? 0;
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    const response = await fetch(side.url, {
      method: 'POST',
      headers,
      body: bodies[(side.latencies.length + i) % bodies.length],
    });
    await response.arrayBuffer();
    if (response.status !== 202) throw new Error(`${side.name} answered ${response.status}`);
    if (keep) side.latencies.push(performance.now() - start);
  }
  if (keep) side.cpuSeconds += (cpuSeconds(side.pid()!) ?? 0) - cpuBefore;
}

function percentiles(values: number[]): { p50: number; p90: number; p99: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => round(sorted[Math.floor(q * (sorted.length - 1))], 2);
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99) };
}

// Exits when done: fetch's keep-alive pool would otherwise hold the process open.
main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
