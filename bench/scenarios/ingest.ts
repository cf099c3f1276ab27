import type { Queue } from 'bullmq';
import type { BenchConfig } from '../config';
import { load, LoadResult } from '../lib/load';
import { cpuMsPer, cpuNow, Processes } from '../lib/cpu';
import { seedMix } from '../lib/payloads';
import { median, ratio, round } from '../lib/stats';

export interface IngestTarget {
  name: 'ours' | 'baseline';
  url: string;
  apiKey?: string;
  /** The queue this target fills; drained after each round so rounds start alike. */
  queue: Queue;
  /** The process serving it, whose CPU time each round reads. */
  pid: () => number | undefined;
  /**
   * Resolves once the target has finished the work a round left behind (our event projections),
   * so that each round starts from a quiet service.
   */
  settle?: () => Promise<void>;
}

/**
 * CPU time (ms) per accepted request of each process the round kept busy: the server, the
 * document store, Redis, and the load generator (this process). On a 2-core machine their sum is
 * what bounds req/s once every process wants a core.
 */
type MachineCpu = Record<string, number | undefined>;

type CpuSummary = {
  requestsPerSec: number;
  p50: number;
  p99: number;
  cpuMsPerRequest: number;
  machineCpuMsPerRequest: MachineCpu;
};

export interface IngestResult {
  rounds: Array<
    { target: string; cpuMsPerRequest: number; machineCpuMsPerRequest: MachineCpu } & LoadResult
  >;
  ours: CpuSummary;
  baseline: CpuSummary;
  ratio: number;
  /**
   * Baseline CPU per request ÷ ours: the same comparison in CPU time, which the other processes
   * on a shared 2-core machine disturb much less than they disturb req/s.
   */
  cpuRatio: number;
  pairRatios: number[];
}

/** Max-rate ingest, alternated ours/baseline/ours/baseline… with the same mix and load. */
export async function runIngest(
  config: BenchConfig,
  targets: IngestTarget[],
  shared: Processes,
): Promise<IngestResult> {
  const bodies = seedMix();
  const { connections, durationSec, warmupSec, pairs } = config.ingest;
  const hit = (target: IngestTarget, seconds: number) =>
    load({ url: target.url, apiKey: target.apiKey, bodies, connections, durationSec: seconds });

  for (const target of targets) {
    await hit(target, warmupSec);
    await quiet(target);
  }
  const rounds: IngestResult['rounds'] = [];
  for (let pair = 0; pair < pairs; pair++) {
    for (const target of targets) {
      const processes = { server: target.pid(), ...shared, load: process.pid };
      const before = cpuNow(processes);
      const result = await hit(target, durationSec);
      const after = cpuNow(processes);
      const served = serverCpuSeconds(target, before.server, after.server);
      const cpuMsPerRequest = round((served * 1000) / result.accepted, 3);
      const machineCpuMsPerRequest = cpuMsPer(before, after, result.accepted);
      rounds.push({ target: target.name, cpuMsPerRequest, machineCpuMsPerRequest, ...result });
      await quiet(target);
      log(
        `ingest ${target.name} #${pair + 1}: ${result.requestsPerSec} req/s, p99 ${result.p99} ms, ` +
          `${cpuMsPerRequest} ms CPU per request`,
      );
    }
  }
  const summary = (name: string) => {
    const mine = rounds.filter((r) => r.target === name);
    return {
      requestsPerSec: round(median(mine.map((r) => r.requestsPerSec)), 1),
      p50: median(mine.map((r) => r.p50)),
      p99: median(mine.map((r) => r.p99)),
      cpuMsPerRequest: median(mine.map((r) => r.cpuMsPerRequest)),
      machineCpuMsPerRequest: Object.fromEntries(
        Object.keys(mine[0].machineCpuMsPerRequest).map((name) => {
          const values = mine.map((r) => r.machineCpuMsPerRequest[name]);
          return [name, values.includes(undefined) ? undefined : median(values as number[])];
        }),
      ),
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
    cpuRatio: ratio(baseline.cpuMsPerRequest, ours.cpuMsPerRequest),
    pairRatios,
  };
}

/** Empties the target's queue, then waits for it to settle. */
export async function quiet(target: IngestTarget): Promise<void> {
  await target.queue.drain(true);
  await target.settle?.();
}

/** CPU seconds the target's own process spent over a round; it must have run throughout. */
function serverCpuSeconds(
  target: IngestTarget,
  before: number | undefined,
  after: number | undefined,
): number {
  if (before === undefined || after === undefined) {
    throw new Error(`${target.name}: its process is gone`);
  }
  return after - before;
}

export function log(line: string): void {
  process.stderr.write(`[bench] ${line}\n`);
}
