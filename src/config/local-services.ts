/**
 * Where the project's own local services listen (scripts/local-services.sh), so that one
 * checkout's app, tests and bench follow `LOCAL_REDIS_PORT` / `LOCAL_MONGO_PORT` exactly as the
 * script does. `REDIS_URL` / `MONGODB_URI`, when set, always win over these.
 */
type RawEnv = Record<string, string | undefined>;

export function localRedisUrl(raw: RawEnv = process.env): string {
  return `redis://127.0.0.1:${raw.LOCAL_REDIS_PORT || '6380'}`;
}

/** The local store's base URI, without a database name. */
export function localMongoBaseUri(raw: RawEnv = process.env): string {
  return `mongodb://127.0.0.1:${raw.LOCAL_MONGO_PORT || '27018'}/`;
}

export const redisUrlOf = (raw: RawEnv = process.env): string =>
  raw.REDIS_URL || localRedisUrl(raw);
export const mongoBaseUriOf = (raw: RawEnv = process.env): string =>
  raw.MONGODB_URI || localMongoBaseUri(raw);
