import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { signManagementToken } from '../../src/modules/integrations/auth/management-token.service';
import { BenchConfig, mongoUri } from '../config';
import { answersHttp, NodeChild } from './child';
import { pollUntil } from './pool';
import { freePort } from './ports';

export const BENCH_ACCOUNT = 'acc-bench';

/** Our service as a child process, with the settings a production deployment would use. */
export interface BenchService {
  url: string;
  child: NodeChild;
  env: Record<string, string>;
  apiKey: string;
  integrationId: string;
  managementToken: string;
  /** The command line that started it, for the report. */
  command: string;
}

export interface BenchNames {
  database: string;
  queuePrefix: string;
}

export async function startService(
  config: BenchConfig,
  names: BenchNames,
  label: string,
  overrides: Record<string, string> = {},
): Promise<BenchService> {
  const port = await freePort();
  const jwtSecret = randomBytes(32).toString('hex');
  const env: Record<string, string> = {
    // Production mode (no development conveniences), with the sandbox backend switched on.
    NODE_ENV: 'production',
    SANDBOX: 'true',
    ROLE: 'all',
    PORT: String(port),
    MONGODB_URI: mongoUri(config.mongoBaseUri, names.database),
    REDIS_URL: config.redisUrl,
    QUEUE_PREFIX: names.queuePrefix,
    MANAGEMENT_JWT_SECRET: jwtSecret,
    SECRETS_KEY: randomBytes(32).toString('hex'),
    AVVYR_API_TOKEN: `bench-${randomBytes(8).toString('hex')}`,
    WORKER_CONCURRENCY: String(config.processing.concurrency),
    LOG_LEVEL: 'warn',
    // The bench measures the service flat out: a limit it never reaches (still counted in Redis).
    RATE_LIMIT_PER_SECOND: '100000',
    RATE_LIMIT_BURST: '1000000',
    ...overrides,
  };
  // As `npm run start:prod` starts it (its node flags), plus e.g. BENCH_SERVICE_NODE_ARGS=--cpu-prof
  // to profile the service under the bench's load.
  const nodeArgs = [
    ...productionNodeFlags(),
    ...(process.env.BENCH_SERVICE_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
  ];
  const args =
    config.serviceEntry === 'dist'
      ? [...nodeArgs, config.serviceMain]
      : ['-r', 'ts-node/register/transpile-only', 'src/main.ts'];
  const child = new NodeChild(`service-${label}`, args, env);
  const url = `http://127.0.0.1:${port}`;
  try {
    await child.waitUntil(() => answersHttp(`${url}/sandbox/avvyr/state`), 120_000);
    const managementToken = await signManagementToken(
      new TextEncoder().encode(jwtSecret),
      { sub: 'bench', accountId: BENCH_ACCOUNT },
      '12h',
    );
    const created = await fetch(`${url}/v1/integrations/`, {
      method: 'POST',
      headers: { authorization: `Bearer ${managementToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ service: 'custom', enabled: true, name: 'Bench ERP' }),
    });
    const body = (await created.json()) as { id: string; apiKey: string };
    if (created.status !== 201) throw new Error(`create integration: ${JSON.stringify(body)}`);
    const shown = Object.entries(env)
      .filter(([k]) =>
        ['NODE_ENV', 'SANDBOX', 'ROLE', 'QUEUE_PREFIX', 'WORKER_CONCURRENCY', 'LOG_LEVEL'].includes(
          k,
        ),
      )
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    return {
      url,
      child,
      env,
      apiKey: body.apiKey,
      integrationId: body.id,
      managementToken,
      command: `${shown} MONGODB_URI=…/${names.database} node ${args.join(' ')}`,
    };
  } catch (error) {
    await child.stop(2000);
    throw error;
  }
}

/** The node flags of `npm run start:prod` (`node <flags> dist/main.js`). */
export function productionNodeFlags(): string[] {
  const packageJson = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'));
  const words = String((packageJson as { scripts: Record<string, string> }).scripts['start:prod'])
    .split(' ')
    .filter(Boolean);
  if (words[0] !== 'node' || words[words.length - 1] !== 'dist/main.js') {
    throw new Error(`start:prod is not "node <flags> dist/main.js": ${words.join(' ')}`);
  }
  return words.slice(1, -1);
}

/**
 * Resolves once the service has written every event projection it owes (its
 * `avvyr_projection_backlog` gauge reads 0), within `timeoutMs`.
 */
export async function projectionsWritten(
  service: BenchService,
  timeoutMs = 120_000,
): Promise<void> {
  const ok = await pollUntil(
    async () => {
      const text = await (await fetch(`${service.url}/metrics`)).text();
      return /^avvyr_projection_backlog 0$/m.test(text);
    },
    timeoutMs,
    100,
  );
  if (!ok) throw new Error(`projections still being written after ${timeoutMs} ms`);
}
