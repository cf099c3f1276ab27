import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';
import { rateLimitProblem } from '../common/rate-limit';
import { localMongoBaseUri, localRedisUrl } from './local-services';
import { redisTopology } from './redis';

/** Secrets that make a local run work with no `.env`; production refuses to start with them. */
export const LOCAL_MANAGEMENT_JWT_SECRET = 'local-dev-management-secret-change-me-0123456789';
export const LOCAL_SECRETS_KEY = '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff';
export const LOCAL_AVVYR_API_TOKEN = 'sandbox-avvyr-token';

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
const toBool = ({ value }: { value: unknown }) =>
  value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value;
const url = { require_tld: false, require_protocol: true };

export type Role = 'api' | 'worker' | 'all';

/** Every setting the service reads, validated once at boot (see README "Configuration"). */
export class Env {
  @IsIn(['development', 'test', 'production'])
  NODE_ENV: 'development' | 'test' | 'production' = 'development';

  @IsIn(['api', 'worker', 'all'])
  ROLE: Role = 'all';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsString()
  @Matches(/^mongodb(\+srv)?:\/\//, { message: 'MONGODB_URI must be a mongodb:// URI' })
  MONGODB_URI = `${localMongoBaseUri()}avvyr_integrations`;

  @IsString()
  @Matches(/^rediss?(\+sentinel)?:\/\//, {
    message: 'REDIS_URL must be a redis://, rediss:// or redis+sentinel:// URI',
  })
  REDIS_URL = localRedisUrl();

  /** A Redis Cluster's nodes, `host:port,…` (some of them: the rest are discovered). */
  @IsOptional()
  @IsString()
  REDIS_CLUSTER_NODES?: string;

  /**
   * Replicas that must hold a queued message before it is answered 202 (Redis WAIT): with 1, a
   * primary killed right after the 202 loses nothing once its replica is promoted. 0: no wait.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(10)
  REDIS_WAIT_REPLICAS = 0;

  /** How long a request waits for those replicas; past it, 503 QUEUE_OUTCOME_UNKNOWN. */
  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(5000)
  REDIS_WAIT_TIMEOUT_MS = 500;

  /** Prefix of every BullMQ key; lets tests and tenants share one Redis safely. */
  @IsString()
  @Matches(/^[a-zA-Z0-9_-]+$/)
  QUEUE_PREFIX = 'avvyr';

  @IsString()
  @MinLength(32, { message: 'MANAGEMENT_JWT_SECRET must be at least 32 characters' })
  MANAGEMENT_JWT_SECRET = LOCAL_MANAGEMENT_JWT_SECRET;

  @Matches(/^[0-9a-fA-F]{64}$/, { message: 'SECRETS_KEY must be 64 hex characters (32 bytes)' })
  SECRETS_KEY = LOCAL_SECRETS_KEY;

  /** Defaults to the in-process sandbox on this service's own port. */
  @IsOptional()
  @IsUrl(url)
  AVVYR_API_URL?: string;

  @IsString()
  @MinLength(1)
  AVVYR_API_TOKEN = LOCAL_AVVYR_API_TOKEN;

  @Transform(toInt)
  @IsInt()
  @Min(100)
  AVVYR_TIMEOUT_MS = 10_000;

  /** Defaults to the in-process Avasam sandbox. */
  @IsOptional()
  @IsUrl(url)
  AVASAM_API_URL?: string;

  /** Base of the webhook URLs shown to sellers (what Avasam must reach). */
  @IsOptional()
  @IsUrl(url)
  PUBLIC_BASE_URL?: string;

  @IsString()
  @MinLength(1)
  AVASAM_DEFAULT_WAREHOUSE_ID = 'avasam';

  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  SANDBOX?: boolean;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  RETRY_ATTEMPTS = 10;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  RETRY_BASE_DELAY_MS = 5000;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  WORKER_CONCURRENCY = 50;

  /**
   * How long a worker's hold on an active job lasts without renewal (renewed every half of it).
   * A crashed worker's jobs are picked up again at most about this plus WORKER_STALLED_INTERVAL_MS
   * later; a worker whose event loop or Redis stalls longer than this loses its jobs to another
   * worker (a redelivery, made harmless by the Idempotency-Key).
   */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  WORKER_LOCK_DURATION_MS = 8000;

  /** How often workers look for active jobs whose lock expired (stalled) and requeue them. */
  @Transform(toInt)
  @IsInt()
  @Min(500)
  WORKER_STALLED_INTERVAL_MS = 4000;

  /**
   * Times a job may be requeued after its worker died before it is failed as stalled; each crash
   * counts for every job that worker held. Redelivery is safe (Idempotency-Key), so this only
   * stops a message that itself crashes workers.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  WORKER_MAX_STALLED_COUNT = 10;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  EVENT_RETENTION_DAYS = 30;

  /** On shutdown, how long active jobs may run on before the worker is closed by force. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  SHUTDOWN_GRACE_MS = 25_000;

  /**
   * A message held behind an earlier one on its key is woken when that one releases the key;
   * this is how often it looks again by itself, should that wake-up be lost (a crashed worker).
   */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  ORDERING_RECHECK_MS = 5000;

  /** Default per-integration inbound limit (an integration's `rateLimit` overrides it). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100_000)
  RATE_LIMIT_PER_SECOND = 500;

  /** Messages per window of RATE_LIMIT_BURST / RATE_LIMIT_PER_SECOND seconds (a whole number). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(6_000_000)
  RATE_LIMIT_BURST = 1000;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** Failure notifications (README "Failure notifications"): attempts per delivery. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(50)
  NOTIFICATIONS_ATTEMPTS = 8;

  /** First retry of a notification after this, doubling (never sooner than a Retry-After). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  NOTIFICATIONS_BACKOFF_MS = 10_000;

  /** How long one delivery may take, connection to the last byte of the answer's head. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(60_000)
  NOTIFICATIONS_TIMEOUT_MS = 5000;

  /** http:// and loopback / private addresses as notification URLs; on unless production. */
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  NOTIFICATIONS_ALLOW_HTTP?: boolean;

  get sandboxEnabled(): boolean {
    return this.SANDBOX ?? this.NODE_ENV !== 'production';
  }
  get avvyrApiUrl(): string {
    return this.AVVYR_API_URL ?? `http://127.0.0.1:${this.PORT}/sandbox/avvyr`;
  }
  get avasamApiUrl(): string {
    return this.AVASAM_API_URL ?? `http://127.0.0.1:${this.PORT}/sandbox/avasam`;
  }
  get publicBaseUrl(): string {
    return (this.PUBLIC_BASE_URL ?? `http://localhost:${this.PORT}`).replace(/\/$/, '');
  }
  get notificationsAllowHttp(): boolean {
    return this.NOTIFICATIONS_ALLOW_HTTP ?? this.NODE_ENV !== 'production';
  }
  get runsApi(): boolean {
    return this.ROLE !== 'worker';
  }
  get runsWorker(): boolean {
    return this.ROLE !== 'api';
  }
}

export class InvalidConfigError extends Error {}

/** Validates raw settings; throws one line per bad setting, naming it. */
export function loadEnv(raw: Record<string, string | undefined>): Env {
  const known = Object.keys(new Env());
  const picked = Object.fromEntries(
    Object.entries(raw).filter(([k, v]) => v !== undefined && v !== '' && known.includes(k)),
  );
  // The local services move with LOCAL_REDIS_PORT / LOCAL_MONGO_PORT, and so does the app.
  picked.REDIS_URL ??= localRedisUrl(raw);
  picked.MONGODB_URI ??= `${localMongoBaseUri(raw)}avvyr_integrations`;
  for (const optional of [
    'REDIS_CLUSTER_NODES',
    'AVVYR_API_URL',
    'AVASAM_API_URL',
    'PUBLIC_BASE_URL',
    'SANDBOX',
    'NOTIFICATIONS_ALLOW_HTTP',
  ]) {
    if (raw[optional]) picked[optional] = raw[optional];
  }
  const env = plainToInstance(Env, picked, { exposeDefaultValues: true });
  const errors = validateSync(env, { skipMissingProperties: false });
  const problems = errors.map(
    (e) => `${e.property}: ${Object.values(e.constraints ?? {}).join('; ')}`,
  );
  if (!errors.some((e) => e.property.startsWith('REDIS_'))) {
    try {
      redisTopology(env);
    } catch (error) {
      const name = env.REDIS_CLUSTER_NODES ? 'REDIS_CLUSTER_NODES' : 'REDIS_URL';
      problems.push(`${name}: ${(error as Error).message}`);
    }
  }
  if (env.NODE_ENV === 'production') {
    if (env.MANAGEMENT_JWT_SECRET === LOCAL_MANAGEMENT_JWT_SECRET)
      problems.push('MANAGEMENT_JWT_SECRET: the local development secret is refused in production');
    if (env.SECRETS_KEY.toLowerCase() === LOCAL_SECRETS_KEY)
      problems.push('SECRETS_KEY: the local development key is refused in production');
    if (env.AVVYR_API_TOKEN === LOCAL_AVVYR_API_TOKEN)
      problems.push('AVVYR_API_TOKEN: the sandbox token is refused in production');
  }
  const rateLimit = rateLimitProblem({
    perSecond: env.RATE_LIMIT_PER_SECOND,
    burst: env.RATE_LIMIT_BURST,
  });
  if (!errors.length && rateLimit) problems.push(`RATE_LIMIT_BURST: ${rateLimit}`);
  if (problems.length)
    throw new InvalidConfigError(`Invalid configuration: ${problems.join(' | ')}`);
  return env;
}
