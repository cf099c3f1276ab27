import type { BenchConfig } from '../config';
import { load } from '../lib/load';
import { seedMix } from '../lib/payloads';
import { median, ratio, round } from '../lib/stats';
import { IngestTarget, log, quiet } from './ingest';

/** Messages per batch request, as the target states it. */
export const BATCH_SIZE = 500;
/** A batch request is heavy: a few connections keep the servers busy without queueing. */
const BATCH_CONNECTIONS = 4;

export interface BatchResult {
  batchSize: number;
  /** Our single endpoint, measured in this scenario (req/s = msg/s). */
  oursSingleRps: number;
  oursBatchMsgPerSec: number;
  baselineBatchMsgPerSec: number;
  /** ours batch msg/s ÷ ours single req/s. */
  ratio: number;
  /** ours batch msg/s ÷ a bare Fastify route doing addBulk. */
  baselineRatio: number;
}

/**
 * Max-rate ingest through `/batch` (batches of 500 seed messages) for us and for the bare
 * baseline, beside our single endpoint, alternated in pairs with the same load.
 */
export async function runBatch(
  config: BenchConfig,
  ours: IngestTarget,
  baseline: IngestTarget,
): Promise<BatchResult> {
  const seeds = seedMix();
  const batch = { messages: Array.from({ length: BATCH_SIZE }, (_, i) => seeds[i % seeds.length]) };
  const { connections, durationSec, pairs } = config.ingest;
  const batchUrl = (target: IngestTarget) => `${target.url}/batch`;
  const single: number[] = [];
  const oursBatch: number[] = [];
  const bareBatch: number[] = [];
  for (let pair = 0; pair < pairs; pair++) {
    const one = await load({
      url: ours.url,
      apiKey: ours.apiKey,
      bodies: seeds,
      connections,
      durationSec,
    });
    single.push(one.requestsPerSec);
    await quiet(ours);
    for (const [target, into] of [
      [ours, oursBatch],
      [baseline, bareBatch],
    ] as const) {
      const result = await load({
        url: batchUrl(target),
        apiKey: target.apiKey,
        bodies: [batch as never],
        connections: BATCH_CONNECTIONS,
        durationSec,
      });
      into.push(round((result.accepted * BATCH_SIZE) / result.durationSec, 1));
      await quiet(target);
    }
    log(
      `batch #${pair + 1}: ours single ${single[pair]} req/s, ours batch ${oursBatch[pair]} msg/s, ` +
        `bare addBulk ${bareBatch[pair]} msg/s`,
    );
  }
  const oursSingleRps = round(median(single), 1);
  const oursBatchMsgPerSec = round(median(oursBatch), 1);
  const baselineBatchMsgPerSec = round(median(bareBatch), 1);
  return {
    batchSize: BATCH_SIZE,
    oursSingleRps,
    oursBatchMsgPerSec,
    baselineBatchMsgPerSec,
    ratio: ratio(oursBatchMsgPerSec, oursSingleRps),
    baselineRatio: ratio(oursBatchMsgPerSec, baselineBatchMsgPerSec),
  };
}
