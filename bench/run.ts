/**
 * `npm run bench`: the service against what a user could build instead, in the same run on the
 * same machine. Prints a table and writes bench/results/latest.json; see BENCHMARKS.md.
 * `--smoke` (or BENCH_SMOKE=1) runs every scenario with tiny sizes, to keep the bench working.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { INBOUND_QUEUE } from '../src/modules/inbound/inbound-queue';
import { BenchConfig, loadConfig, mongoUri } from './config';
import { startFastifyBaseline } from './lib/baseline';
import { storeAndRedis } from './lib/cpu';
import { figure, Figure, printTable, writeJson } from './lib/report';
import { RssSampler } from './lib/rss';
import { BenchNames, BenchService, projectionsWritten, startService } from './lib/service';
import { round } from './lib/stats';
import { BenchRedis, dropDatabase } from './lib/stores';
import { IngestResult, IngestTarget, log, runIngest } from './scenarios/ingest';
import { LatencyResult, runLatency } from './scenarios/latency';
import { ProcessingResult, runProcessing } from './scenarios/processing';
import { BatchResult, runBatch } from './scenarios/batch';
import type { KeySpread } from './lib/payloads';
import { GrowthResult, runGrowth } from './scenarios/growth';
import { compareRedis } from './lib/redis-compare';

interface Results {
  ingest?: IngestResult;
  latency?: LatencyResult;
  processing?: ProcessingResult;
  batch?: BatchResult;
  /** The processing scenario with every message on 10 hot SKUs (ordered per key). */
  hot?: ProcessingResult;
  growth?: GrowthResult;
  memory: { serviceRssPeakMb: Record<string, number>; redis: Record<string, number> };
}

async function main(): Promise<void> {
  const config = loadConfig(process.argv.slice(2), process.env);
  if (config.redis === 'cluster') return compareRedis(config, process.argv.slice(2));
  const run = config.smoke ? `smoke-${randomBytes(3).toString('hex')}` : '';
  const names: BenchNames = {
    database: run ? `avvyr_bench_${run.replace('-', '_')}` : 'avvyr_bench',
    queuePrefix: run ? `bench-${run}` : 'bench',
  };
  const prefixes = {
    baseline: `${names.queuePrefix}-baseline`,
    naive: `${names.queuePrefix}-naive`,
  };
  // The sandbox backend's own process (processing and growth), with names of its own.
  const backendNames: BenchNames = {
    database: `${names.database}_backend`,
    queuePrefix: `${names.queuePrefix}-backend`,
  };
  const redis = new BenchRedis(config.redisUrl, config.redisClusterNodes);
  const started = new Date();
  const allPrefixes = [
    names.queuePrefix,
    prefixes.baseline,
    prefixes.naive,
    backendNames.queuePrefix,
  ];
  for (const prefix of allPrefixes) await redis.deletePrefix(prefix);
  const results: Results = { memory: { serviceRssPeakMb: {}, redis: {} } };
  results.memory.redis.usedBeforeMb = round(await redis.usedMemoryMb());
  let service: BenchService | undefined;
  let backend: BenchService | undefined;
  const sampler = new RssSampler(() => service?.child.pid);
  const resetDatabase = () => dropDatabase(mongoUri(config.mongoBaseUri, names.database));

  try {
    const edges = ['ingest', 'latency', 'batch'] as const;
    if (edges.some((scenario) => config.scenarios.includes(scenario))) {
      await resetDatabase();
      service = await startService(config, names, `${run || 'bench'}-ingest`);
      log(`service started at ${service.url}`);
      sampler.start('ingest');
      await ingestAndLatency(config, service, redis, prefixes.baseline, results);
      sampler.stop();
      results.memory.serviceRssPeakMb.ingest = round(sampler.peak('ingest'), 1);
      await service.child.stop();
      await redis.deletePrefix(names.queuePrefix);
    }
    const processes = ['processing', 'hot', 'growth'] as const;
    if (processes.some((scenario) => config.scenarios.includes(scenario))) {
      await resetDatabase();
      // The sandbox backend runs in a process of its own, as a real backend would, so that our
      // worker does not share its event loop with the backend while the naive worker does not.
      backend = await startService(config, backendNames, `${run || 'bench'}-backend`, {
        ROLE: 'api',
      });
      service = await startService(config, names, `${run || 'bench'}-processing`, {
        AVVYR_API_URL: `${backend.url}/sandbox/avvyr`,
        AVVYR_API_TOKEN: backend.env.AVVYR_API_TOKEN,
      });
      log(`service started at ${service.url}, sandbox backend at ${backend.url}`);
      const active = service;
      const processing = async (scenario: 'processing' | 'hot', keys: KeySpread) => {
        const result = await runProcessing(
          config,
          active,
          redis,
          prefixes.naive,
          () => sampler.start(scenario),
          () => sampler.stop(),
          keys,
        );
        results.memory.serviceRssPeakMb[scenario] = round(sampler.peak(scenario), 1);
        return result;
      };
      if (config.scenarios.includes('processing')) {
        results.processing = await processing('processing', 'unique');
      }
      if (config.scenarios.includes('hot')) results.hot = await processing('hot', { hot: 10 });
      if (config.scenarios.includes('growth')) results.growth = await runGrowth(config, service);
      await service.child.stop();
      await backend.child.stop();
      backend = undefined;
    }
    await redis.deletePrefix(prefixes.baseline);
    await redis.deletePrefix(prefixes.naive);
    const ours = await redis.prefixUsage(names.queuePrefix);
    results.memory.redis.usedAfterMb = round(await redis.usedMemoryMb());
    results.memory.redis.serviceKeysAfterMb = round(ours.mb);
    results.memory.redis.serviceKeysAfter = ours.keys;
  } finally {
    sampler.stop();
    await service?.child.stop(5000);
    await backend?.child.stop(5000);
    for (const prefix of allPrefixes) await redis.deletePrefix(prefix).catch(() => undefined);
    await resetDatabase().catch(() => undefined);
    await dropDatabase(mongoUri(config.mongoBaseUri, backendNames.database)).catch(() => undefined);
    await redis.close();
  }

  const figures = toFigures(config, results, service);
  printTable(figures);
  writeJson(config.out, {
    startedAt: started.toISOString(),
    finishedAt: new Date().toISOString(),
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version },
    config,
    figures,
    results,
  });
  log(`wrote ${config.out} in ${round((Date.now() - started.getTime()) / 1000, 1)} s`);
}

async function ingestAndLatency(
  config: BenchConfig,
  service: BenchService,
  redis: BenchRedis,
  baselinePrefix: string,
  results: Results,
): Promise<void> {
  const baseline = await startFastifyBaseline(config, baselinePrefix, 'baseline-fastify');
  const ourQueue = redis.queue(service.env.QUEUE_PREFIX, INBOUND_QUEUE);
  const baselineQueue = redis.queue(baselinePrefix, INBOUND_QUEUE);
  try {
    // The worker (ROLE=all) stays idle during ingest: the figure is the HTTP edge, as for the baseline.
    await ourQueue.pause();
    const ours: IngestTarget = {
      name: 'ours',
      url: `${service.url}/integrations/custom/inbound`,
      apiKey: service.apiKey,
      queue: ourQueue,
      pid: () => service.child.pid,
      settle: () => projectionsWritten(service),
    };
    const bare: IngestTarget = {
      name: 'baseline',
      url: baseline.inboundUrl,
      queue: baselineQueue,
      pid: () => baseline.child.pid,
    };
    if (config.scenarios.includes('ingest'))
      results.ingest = await runIngest(config, [ours, bare], storeAndRedis(service.env));
    if (config.scenarios.includes('batch')) results.batch = await runBatch(config, ours, bare);
    if (config.scenarios.includes('latency')) {
      const max = results.ingest?.ours.requestsPerSec ?? 1000;
      results.latency = await runLatency(config, ours, max, bare);
    }
  } finally {
    await baseline.child.stop();
    await ourQueue.obliterate({ force: true }).catch(() => undefined);
    await ourQueue.close();
    await baselineQueue.close();
  }
}

function toFigures(config: BenchConfig, r: Results, service?: BenchService): Figure[] {
  const svc = service?.command ?? 'node dist/main.js';
  const { connections, durationSec, pairs } = config.ingest;
  const ingestCmd = `npm run bench -- --only=ingest  # autocannon -c ${connections} -d ${durationSec} ×${pairs} pairs A/B, 7 seed examples; ours: ${svc}; baseline: node -r ts-node/register/transpile-only bench/baseline/fastify-ingest.ts`;
  const latencyCmd = `npm run bench -- --only=ingest,latency  # open-loop paced load (bench/lib/paced-load.ts), ${r.latency?.targetRate ?? '?'} req/s evenly spaced for ${config.latency.durationSec} s (50% of measured max); then autocannon -c ${connections} --overallRate at the same rate`;
  const procCmd = `npm run bench -- --only=processing --messages=${config.processing.messages}  # ours: ${svc}; baseline: bench/baseline/naive-worker.ts, concurrency ${config.processing.concurrency}`;
  const batchCmd = `npm run bench -- --only=batch  # autocannon -c 4 -d ${durationSec} ×${pairs} on /batch, ${500} seed messages per request; single: autocannon -c ${connections} on our single endpoint; baseline: bench/baseline/fastify-ingest.ts /batch (one addBulk)`;
  const hotCmd = `npm run bench -- --only=hot --messages=${config.processing.messages}  # as processing, every SKU of every message on 10 hot SKUs`;
  const growthCmd = `npm run bench -- --only=growth --growth-small=${config.growth.small} --growth-large=${config.growth.large}  # POST /v1/integrations/events/filter, each filter's p50 of up to ${config.growth.samples} requests`;
  const list: Figure[] = [];
  if (r.ingest) {
    list.push(
      figure(
        'ingest.ours.rps',
        'ingest ours (req/s)',
        r.ingest.ours.requestsPerSec,
        'req/s',
        ingestCmd,
      ),
      figure(
        'ingest.baseline.rps',
        'ingest bare Fastify + queue.add (req/s)',
        r.ingest.baseline.requestsPerSec,
        'req/s',
        ingestCmd,
      ),
      figure(
        'ingest.ours.p50',
        'ingest ours p50 / p99',
        r.ingest.ours.p50,
        `ms / ${r.ingest.ours.p99} ms`,
        ingestCmd,
      ),
      figure(
        'ingest.baseline.p50',
        'ingest baseline p50 / p99',
        r.ingest.baseline.p50,
        `ms / ${r.ingest.baseline.p99} ms`,
        ingestCmd,
      ),
      figure('ingest.ratio', 'ingest ratio ours ÷ baseline', r.ingest.ratio, '', ingestCmd, {
        op: '>=',
        limit: 0.8,
      }),
      figure(
        'ingest.cpu',
        'ingest CPU per request, ours / baseline',
        r.ingest.ours.cpuMsPerRequest,
        `ms / ${r.ingest.baseline.cpuMsPerRequest} ms`,
        ingestCmd,
      ),
      ...(
        [
          ['ours', r.ingest.ours],
          ['baseline', r.ingest.baseline],
        ] as const
      ).map(([side, summary]) =>
        figure(
          `ingest.${side}.machineCpuMs`,
          `ingest machine CPU per request, ${side}: ${cpuBreakdown(summary.machineCpuMsPerRequest)}`,
          sumCpu(summary.machineCpuMsPerRequest),
          'ms',
          ingestCmd,
        ),
      ),
      figure(
        'ingest.cpuRatio',
        'ingest CPU ratio baseline ÷ ours (same comparison in CPU time)',
        r.ingest.cpuRatio,
        '',
        ingestCmd,
      ),
    );
  }
  if (r.latency) {
    list.push(
      figure(
        'latency.p50',
        `latency at ${r.latency.targetRate} req/s p50`,
        r.latency.p50,
        'ms',
        latencyCmd,
      ),
      figure(
        'latency.p99',
        `latency at ${r.latency.targetRate} req/s p99`,
        r.latency.p99,
        'ms',
        latencyCmd,
        { op: '<=', limit: 20 },
      ),
      figure(
        'latency.p999',
        `latency at ${r.latency.targetRate} req/s p99.9`,
        r.latency.p999,
        'ms',
        latencyCmd,
      ),
      figure(
        'latency.budget.p99',
        `same rate as autocannon's per-second budget (bursts) p50 / p99`,
        r.latency.perSecondBudget.p50,
        `ms / ${r.latency.perSecondBudget.p99} ms`,
        latencyCmd,
      ),
      ...(r.latency.eventLoopLag
        ? [
            figure(
              'latency.eventLoopLag',
              `service event-loop delay while paced p50 / p99 / max`,
              r.latency.eventLoopLag.p50,
              `ms / ${r.latency.eventLoopLag.p99} ms / ${r.latency.eventLoopLag.max} ms`,
              latencyCmd,
            ),
          ]
        : []),
      ...(r.latency.baseline
        ? [
            figure(
              'latency.baseline.p99',
              `bare baseline paced at the same rate p99 (p50 ${r.latency.baseline.p50} ms)`,
              r.latency.baseline.p99,
              'ms',
              latencyCmd,
            ),
          ]
        : []),
    );
  }
  if (r.processing) {
    list.push(
      figure(
        'processing.ours',
        `processing ours (${r.processing.ours.messages} msgs)`,
        r.processing.ours.messagesPerSec,
        'msg/s',
        procCmd,
      ),
      figure(
        'processing.baseline',
        'processing naive worker',
        r.processing.baseline.messagesPerSec,
        'msg/s',
        procCmd,
      ),
      figure('processing.ratio', 'processing ratio ours ÷ naive', r.processing.ratio, '', procCmd, {
        op: '>=',
        limit: 2,
      }),
      ...(
        [
          ['ours', r.processing.ours],
          ['naive', r.processing.baseline],
        ] as const
      ).map(([side, run]) =>
        figure(
          `processing.${side === 'ours' ? 'ours' : 'baseline'}.cpuMs`,
          `CPU per message, ${side}: ${cpuBreakdown(run.cpuMsPerMessage)}`,
          sumCpu(run.cpuMsPerMessage),
          'ms',
          procCmd,
        ),
      ),
    );
  }
  if (r.batch) {
    list.push(
      figure(
        'batch.ours.msgps',
        `batch ours (${r.batch.batchSize} per request)`,
        r.batch.oursBatchMsgPerSec,
        'msg/s',
        batchCmd,
      ),
      figure(
        'batch.single.rps',
        'single endpoint ours, same run',
        r.batch.oursSingleRps,
        'req/s',
        batchCmd,
      ),
      figure(
        'batch.baseline.msgps',
        'batch bare Fastify + addBulk',
        r.batch.baselineBatchMsgPerSec,
        'msg/s',
        batchCmd,
      ),
      figure('batch.ratio', 'batch msg/s ÷ single req/s (ours)', r.batch.ratio, '', batchCmd, {
        op: '>=',
        limit: 10,
      }),
      figure(
        'batch.baselineRatio',
        'batch ours ÷ bare addBulk',
        r.batch.baselineRatio,
        '',
        batchCmd,
      ),
    );
  }
  if (r.hot) {
    list.push(
      figure(
        'processing.hot.ours',
        'processing ours, 10 hot SKUs',
        r.hot.ours.messagesPerSec,
        'msg/s',
        hotCmd,
      ),
      figure(
        'processing.hot.baseline',
        'processing naive worker, 10 hot SKUs (unordered)',
        r.hot.baseline.messagesPerSec,
        'msg/s',
        hotCmd,
      ),
      figure(
        'processing.hot.ratio',
        'processing ratio ours ÷ naive, 10 hot SKUs',
        r.hot.ratio,
        '',
        hotCmd,
      ),
    );
  }
  const peak = Math.max(0, ...Object.values(r.memory.serviceRssPeakMb));
  if (peak) {
    list.push(
      figure(
        'memory.rss',
        'peak RSS of the service (ingest, processing)',
        peak,
        'MB',
        `${ingestCmd}; ${procCmd}`,
        { op: '<=', limit: 300 },
      ),
    );
  }
  list.push(
    figure(
      'memory.redis.before',
      'Redis used_memory before the run',
      r.memory.redis.usedBeforeMb,
      'MB',
      'redis-cli INFO memory',
    ),
    figure(
      'memory.redis.after',
      'Redis used_memory after the run',
      r.memory.redis.usedAfterMb ?? 0,
      'MB',
      'redis-cli INFO memory',
    ),
    figure(
      'memory.redis.service',
      "Redis held by the service's queue keys after the run",
      r.memory.redis.serviceKeysAfterMb ?? 0,
      'MB',
      'SCAN + MEMORY USAGE over the bench prefix',
    ),
  );
  if (r.growth) {
    const { small, large } = r.growth;
    for (const f of r.growth.perFilter) {
      const id = `growth.${f.name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`;
      list.push(
        figure(
          `${id}.small`,
          `filter "${f.name}" p50 at ${small.events} events`,
          f.small,
          'ms',
          growthCmd,
        ),
        figure(
          `${id}.large`,
          `filter "${f.name}" p50 at ${large.events} events`,
          f.large,
          'ms',
          growthCmd,
          {
            op: '<=',
            limit: 50,
          },
        ),
        figure(
          `${id}.ratio`,
          `filter "${f.name}" p50 ratio large ÷ small`,
          f.ratio,
          '',
          growthCmd,
          {
            op: '<=',
            limit: 1.5,
          },
        ),
      );
    }
    list.push(
      figure(
        'growth.ratio',
        'filter p50 ratio large ÷ small, worst filter',
        Math.max(...r.growth.perFilter.map((f) => f.ratio)),
        '',
        growthCmd,
        { op: '<=', limit: 1.5 },
      ),
    );
    if (large.storeRssMb !== undefined) {
      list.push(
        figure(
          'growth.store.rss',
          `document store RSS at ${large.events} events (at ${small.events}: ${small.storeRssMb ?? '?'} MB)`,
          large.storeRssMb,
          'MB',
          `${growthCmd}; VmRSS of the process listening on the store's port`,
        ),
      );
    }
  }
  return list;
}

main()
  // Pooled connections of the libraries (BullMQ, Mongoose) would keep the process alive.
  .then(() => process.exit(0))
  .catch((error: unknown) => {
    process.stderr.write(
      `[bench] failed: ${error instanceof Error ? error.stack : String(error)}\n`,
    );
    process.exit(1);
  });

/** "worker 4.1 + store 2.3 + …" of a processing side's CPU per message. */
function cpuBreakdown(cpu: Record<string, number | undefined>): string {
  return Object.entries(cpu)
    .map(([name, ms]) => `${name} ${ms ?? '?'}`)
    .join(' + ');
}

function sumCpu(cpu: Record<string, number | undefined>): number {
  return Math.round(Object.values(cpu).reduce<number>((sum, ms) => sum + (ms ?? 0), 0) * 100) / 100;
}
