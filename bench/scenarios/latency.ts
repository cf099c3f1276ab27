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
  /**
   * The service's event-loop delay over the paced run (prom-client's `nodejs_eventloop_lag_*`,
   * which restart at every scrape), ms beyond its 10 ms sampling interval: how long the loop was
   * blocked, so how much of a request's latency was spent waiting for it.
   */
  eventLoopLag?: { p50: number; p99: number; max: number };
  /**
   * The bare baseline paced at the same rate right after ours: what the same machine, Redis and
   * load generator allow at that rate, so ours' tail can be read against it in the same run.
   */
  baseline?: LoadResult;
}

/**
 * Our endpoint at a fixed share (50 %) of its measured maximum: the latency a user sees when
 * requests arrive evenly, from an open-loop paced load (see pacedLoad).
 */
export async function runLatency(
  config: BenchConfig,
  ours: IngestTarget,
  maxRate: number,
  baseline?: IngestTarget,
): Promise<LatencyResult> {
  const targetRate = Math.max(1, Math.round(maxRate * config.latency.share));
  const common = {
    url: ours.url,
    apiKey: ours.apiKey,
    bodies: seedMix(),
    durationSec: config.latency.durationSec,
  };
  await quiet(ours);
  const metricsUrl = `${new URL(ours.url).origin}/metrics`;
  await eventLoopLag(metricsUrl); // restarts the histogram
  const paced = await pacedLoad({ ...common, rate: targetRate, connections: 64 });
  const lag = await eventLoopLag(metricsUrl);
  await quiet(ours);
  const bare =
    baseline &&
    (await pacedLoad({
      ...common,
      url: baseline.url,
      apiKey: undefined,
      rate: targetRate,
      connections: 64,
    }));
  if (baseline) await quiet(baseline);
  const perSecondBudget = await load({
    ...common,
    connections: config.ingest.connections,
    overallRate: targetRate,
  });
  await quiet(ours);
  log(
    `latency at ${targetRate} req/s, paced: p50 ${paced.p50} ms, p99 ${paced.p99} ms, ` +
      `p99.9 ${paced.p999} ms; autocannon per-second budget: p50 ${perSecondBudget.p50} ms, ` +
      `p99 ${perSecondBudget.p99} ms` +
      (bare ? `; baseline paced at the same rate: p50 ${bare.p50} ms, p99 ${bare.p99} ms` : '') +
      (lag
        ? `; event-loop delay while paced p50 ${lag.p50} ms, p99 ${lag.p99} ms, max ${lag.max} ms`
        : ''),
  );
  return {
    ...paced,
    targetRate,
    perSecondBudget,
    ...(lag && { eventLoopLag: lag }),
    ...(bare && { baseline: bare }),
  };
}

/** prom-client's default `eventLoopMonitoringPrecision`. */
const LAG_SAMPLING_MS = 10;

/** The event-loop delay since the last scrape, from the service's /metrics (undefined if absent). */
async function eventLoopLag(metricsUrl: string): Promise<LatencyResult['eventLoopLag']> {
  const text = await fetch(metricsUrl)
    .then((r) => r.text())
    .catch(() => '');
  const ms = (name: string) => {
    const value = new RegExp(`^nodejs_eventloop_lag_${name}_seconds (\\S+)$`, 'm').exec(text)?.[1];
    // prom-client samples the loop every 10 ms and records the whole interval: an idle loop
    // reads about 10 ms, so what is reported is the delay beyond it.
    return value === undefined
      ? undefined
      : Math.max(0, Math.round((Number(value) * 1000 - LAG_SAMPLING_MS) * 10) / 10);
  };
  const [p50, p99, max] = [ms('p50'), ms('p99'), ms('max')];
  return p50 === undefined || p99 === undefined || max === undefined
    ? undefined
    : { p50, p99, max };
}
