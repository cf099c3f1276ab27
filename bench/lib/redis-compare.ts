import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchConfig } from '../config';
import { Figure, printTable, writeJson } from './report';
import { round } from './stats';

const ROOT = join(__dirname, '..', '..');

/**
 * `--redis=cluster`: the chosen scenarios twice in one run, on the single local Redis and then on
 * the local Redis Cluster (`scripts/local-services.sh cluster`, started or reused), each pass a
 * bench run of its own; prints every figure of both and the ratio cluster ÷ single.
 */
export async function compareRedis(config: BenchConfig, argv: string[]): Promise<void> {
  const cluster = execFileSync('bash', [join(ROOT, 'scripts', 'local-services.sh'), 'cluster'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const nodes = /REDIS_CLUSTER_NODES=(\S+)/.exec(cluster)?.[1];
  if (!nodes) throw new Error(`local-services.sh cluster printed no nodes: ${cluster}`);
  const passArgs = argv.filter((arg) => !arg.startsWith('--redis') && !arg.startsWith('--out'));
  const pass = (name: 'single' | 'cluster', env: NodeJS.ProcessEnv) => {
    const out = config.out.replace(/\.json$/, `-${name}.json`);
    process.stderr.write(`[bench] --redis=cluster: ${name} pass\n`);
    const child = spawnSync(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', 'bench/run.ts', ...passArgs, `--out=${out}`],
      { cwd: ROOT, env, stdio: 'inherit' },
    );
    if (child.status !== 0) throw new Error(`the ${name} pass failed (exit ${child.status})`);
    return (JSON.parse(readFileSync(out, 'utf8')) as { figures: Figure[] }).figures;
  };
  const singleEnv = { ...process.env };
  delete singleEnv.REDIS_CLUSTER_NODES;
  const single = pass('single', singleEnv);
  const onCluster = pass('cluster', { ...process.env, REDIS_CLUSTER_NODES: nodes });
  const byId = new Map(onCluster.map((f) => [f.id, f]));
  const rows = single.flatMap((f) => {
    const c = byId.get(f.id);
    if (!c) return [];
    return [
      { ...f, figure: `${f.figure} — single`, target: undefined, meets: undefined },
      { ...c, figure: `${c.figure} — cluster`, target: undefined, meets: undefined },
      {
        ...f,
        id: `${f.id}.clusterRatio`,
        figure: `${f.figure} — ratio cluster ÷ single`,
        value: f.value ? round(c.value / f.value, 2) : 0,
        unit: '',
        target: undefined,
        meets: undefined,
      },
    ];
  });
  printTable(rows);
  writeJson(config.out, { redisClusterNodes: nodes, figures: rows });
  process.stderr.write(`[bench] wrote ${config.out}\n`);
}
