import type { BenchConfig } from '../config';
import { load, LoadResult } from '../lib/load';
import { seedMix } from '../lib/payloads';
import { round } from '../lib/stats';
import type { IngestTarget } from './ingest';
import { log } from './ingest';

export interface LatencyResult extends LoadResult {
  targetRate: number;
}

/** Our endpoint at a fixed share (50%) of its measured maximum: the latency a user sees. */
export async function runLatency(
  config: BenchConfig,
  ours: IngestTarget,
  maxRate: number,
): Promise<LatencyResult> {
  const targetRate = Math.max(1, Math.round(maxRate * config.latency.share));
  const result = await load({
    url: ours.url,
    apiKey: ours.apiKey,
    bodies: seedMix(),
    connections: config.ingest.connections,
    durationSec: config.latency.durationSec,
    overallRate: targetRate,
  });
  await ours.queue.drain(true);
  log(
    `latency at ${targetRate} req/s: p50 ${result.p50} ms, p99 ${result.p99} ms, p99.9 ${result.p999} ms`,
  );
  return { ...result, targetRate, requestsPerSec: round(result.requestsPerSec, 1) };
}
