import { join } from 'node:path';
import { mongoBaseUriOf, redisUrlOf } from '../src/config/local-services';

export const SCENARIOS = ['ingest', 'latency', 'batch', 'processing', 'hot', 'growth'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

/** Every size and duration of a run; the smoke shrinks them so CI spends seconds, not minutes. */
export interface BenchConfig {
  smoke: boolean;
  scenarios: ScenarioName[];
  /** `dist`: the production build (the bench); `source`: src/ through ts-node (the CI smoke). */
  serviceEntry: 'dist' | 'source';
  /** The built entry point; BENCH_SERVICE_MAIN compares another build (an optimisation's before). */
  serviceMain: string;
  out: string;
  ingest: { connections: number; durationSec: number; warmupSec: number; pairs: number };
  latency: { durationSec: number; share: number };
  processing: { messages: number; concurrency: number; timeoutSec: number };
  growth: { small: number; large: number; samples: number; timeBudgetSec: number };
  mongoBaseUri: string;
  redisUrl: string;
  /** `cluster`: the scenarios run on single-node Redis, then on the local cluster, with ratios. */
  redis: 'single' | 'cluster';
  /** Set for the cluster pass (by `--redis=cluster`): the nodes of the local Redis Cluster. */
  redisClusterNodes?: string;
}

const RESULTS = join(__dirname, 'results');

export function loadConfig(argv: string[], env: NodeJS.ProcessEnv): BenchConfig {
  const flags = new Map(
    argv
      .filter((a) => a.startsWith('--'))
      .map((a) => {
        const [key, value] = a.slice(2).split('=');
        return [key, value ?? 'true'] as const;
      }),
  );
  const smoke = flags.has('smoke') || env.BENCH_SMOKE === '1';
  const only = flags.get('only')?.split(',') ?? SCENARIOS;
  const num = (flag: string, full: number, tiny: number) =>
    Number(
      flags.get(flag) ??
        env[`BENCH_${flag.toUpperCase().replace(/-/g, '_')}`] ??
        (smoke ? tiny : full),
    );
  return {
    smoke,
    scenarios: SCENARIOS.filter((s) => only.includes(s)),
    serviceEntry:
      (flags.get('service') ?? env.BENCH_SERVICE ?? 'dist') === 'source' ? 'source' : 'dist',
    serviceMain: env.BENCH_SERVICE_MAIN ?? 'dist/main.js',
    out: flags.get('out') ?? env.BENCH_OUT ?? join(RESULTS, smoke ? 'smoke.json' : 'latest.json'),
    ingest: {
      connections: num('connections', 32, 4),
      durationSec: num('duration', 10, 1),
      warmupSec: num('warmup', 3, 0.5),
      pairs: num('pairs', 3, 1),
    },
    latency: { durationSec: num('latency-duration', 15, 1), share: num('latency-share', 0.5, 0.5) },
    processing: {
      messages: num('messages', 20_000, 70),
      concurrency: num('worker-concurrency', 50, 50),
      timeoutSec: num('processing-timeout', 900, 60),
    },
    growth: {
      small: num('growth-small', 10_000, 200),
      large: num('growth-large', 200_000, 1000),
      samples: num('growth-samples', 15, 3),
      timeBudgetSec: num('growth-budget', 180, 20),
    },
    mongoBaseUri: mongoBaseUriOf(env),
    redisUrl: redisUrlOf(env),
    redis: flags.get('redis') === 'cluster' ? 'cluster' : 'single',
    redisClusterNodes: env.REDIS_CLUSTER_NODES || undefined,
  };
}

/** `base` with its database replaced by `db`. */
export function mongoUri(base: string, db: string): string {
  const url = new URL(base);
  url.pathname = `/${db}`;
  return url.toString();
}
