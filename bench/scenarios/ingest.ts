import type { Queue } from 'bullmq';
import type { BenchConfig } from '../config';
import { load, LoadResult } from '../lib/load';
import { seedMix } from '../lib/payloads';
import { median, ratio, round } from '../lib/stats';

export interface IngestTarget {
  name: 'ours' | 'baseline';
  url: string;
  apiKey?: string;
  /** The queue this target fills; drained after each round so rounds start alike. */
  queue: Queue;
}

export interface IngestResult {
  rounds: Array<{ target: string } & LoadResult>;
  ours: { requestsPerSec: number; p50: number; p99: number };
  baseline: { requestsPerSec: number; p50: number; p99: number };
  ratio: number;
  pairRatios: number[];
}

/** Max-rate ingest, alternated ours/baseline/ours/baseline… with the same mix and load. */
export async function runIngest(
  config: BenchConfig,
  targets: IngestTarget[],
): Promise<IngestResult> {
  const bodies = seedMix();
  const { connections, durationSec, warmupSec, pairs } = config.ingest;
  const hit = (target: IngestTarget, seconds: number) =>
    load({ url: target.url, apiKey: target.apiKey, bodies, connections, durationSec: seconds });

  for (const target of targets) {
    await hit(target, warmupSec);
    await target.queue.drain(true);
  }
  const rounds: IngestResult['rounds'] = [];
  for (let pair = 0; pair < pairs; pair++) {
    for (const target of targets) {
      const result = await hit(target, durationSec);
      rounds.push({ target: target.name, ...result });
      await target.queue.drain(true);
      log(
        `ingest ${target.name} #${pair + 1}: ${result.requestsPerSec} req/s, p99 ${result.p99} ms`,
      );
    }
  }
  const summary = (name: string) => {
    const mine = rounds.filter((r) => r.target === name);
    return {
      requestsPerSec: round(median(mine.map((r) => r.requestsPerSec)), 1),
      p50: median(mine.map((r) => r.p50)),
      p99: median(mine.map((r) => r.p99)),
    };
  };
  const ours = summary('ours');
  const baseline = summary('baseline');
  const pairRatios = Array.from({ length: pairs }, (_, i) =>
    ratio(rounds[i * 2].requestsPerSec, rounds[i * 2 + 1].requestsPerSec),
  );
  return {
    rounds,
    ours,
    baseline,
    ratio: ratio(ours.requestsPerSec, baseline.requestsPerSec),
    pairRatios,
  };
}

export function log(line: string): void {
  process.stderr.write(`[bench] ${line}\n`);
}
