import type { BenchConfig } from '../config';
import { load, LoadResult } from '../lib/load';
import { pacedLoad } from '../lib/paced-load';
import { seedMix } from '../lib/payloads';
import type { IngestTarget } from './ingest';
import { log, quiet } from './ingest';

export interface LatencyResult extends LoadResult {
  targetRate: number;
  /**
   * The same rate as autocannon's `overallRate` applies it (the method of earlier runs): a
   * budget per second, sent at full speed, so it shows latency under bursts at full load.
   */
  perSecondBudget: LoadResult;
}

/**
 * Our endpoint at a fixed share (50 %) of its measured maximum: the latency a user sees when
 * requests arrive evenly, from an open-loop paced load (see pacedLoad).
 */
export async function runLatency(
  config: BenchConfig,
  ours: IngestTarget,
  maxRate: number,
): Promise<LatencyResult> {
  const targetRate = Math.max(1, Math.round(maxRate * config.latency.share));
  const common = {
    url: ours.url,
    apiKey: ours.apiKey,
    bodies: seedMix(),
    durationSec: config.latency.durationSec,
  };
  await quiet(ours);
  const paced = await pacedLoad({ ...common, rate: targetRate, connections: 64 });
  await quiet(ours);
  const perSecondBudget = await load({
    ...common,
    connections: config.ingest.connections,
    overallRate: targetRate,
  });
  await quiet(ours);
  log(
    `latency at ${targetRate} req/s, paced: p50 ${paced.p50} ms, p99 ${paced.p99} ms, ` +
      `p99.9 ${paced.p999} ms; autocannon per-second budget: p50 ${perSecondBudget.p50} ms, ` +
      `p99 ${perSecondBudget.p99} ms`,
  );
  return { ...paced, targetRate, perSecondBudget };
}
