import IORedis, { Cluster, ClusterOptions, RedisOptions } from 'ioredis';
import calculateSlot from 'cluster-key-slot';

/** Every Redis client of the service: one node (or a Sentinel-managed one), or a Cluster. */
export type RedisClient = IORedis | Cluster;

/** Where Redis is, as `REDIS_URL` / `REDIS_CLUSTER_NODES` say (README "Configuration"). */
export type RedisTopology =
  | { kind: 'single'; options: RedisOptions }
  | { kind: 'sentinel'; options: RedisOptions }
  | { kind: 'cluster'; nodes: { host: string; port: number }[]; options: RedisOptions };

type RedisSettings = { REDIS_URL: string; REDIS_CLUSTER_NODES?: string };

const SENTINEL_URL =
  /^(rediss?)\+sentinel:\/\/(?:([^@/]*)@)?([^/?#]+)\/([^/?#]+)(?:\/(\d+))?(?:\?([^#]*))?$/;

/** What a client created by `createRedis` may set; the rest comes from the topology. */
export type RedisClientOptions = Pick<
  RedisOptions,
  | 'lazyConnect'
  | 'enableOfflineQueue'
  | 'maxRetriesPerRequest'
  | 'commandTimeout'
  | 'retryStrategy'
  | 'enableReadyCheck'
  | 'connectionName'
  | 'enableAutoPipelining'
>;

/**
 * Reads the topology: `REDIS_CLUSTER_NODES=host:port,…` (credentials and TLS from `REDIS_URL`'s
 * user info and scheme), else `redis+sentinel://[user:password@]host:port,…/<master name>[/db]
 * [?sentinelPassword=…]`, else one node at `REDIS_URL`. Throws with a readable message.
 */
export function redisTopology(settings: RedisSettings): RedisTopology {
  const sentinel = SENTINEL_URL.exec(settings.REDIS_URL);
  if (settings.REDIS_CLUSTER_NODES) {
    const nodes = settings.REDIS_CLUSTER_NODES.split(',').map((entry) => hostPort(entry.trim()));
    const { username, password, tls } = sentinel
      ? ({} as RedisOptions)
      : nodeOptions(new URL(settings.REDIS_URL));
    return { kind: 'cluster', nodes, options: { username, password, tls } };
  }
  if (sentinel) {
    const [, scheme, userInfo, hosts, name, db, query] = sentinel;
    const params = new URLSearchParams(query ?? '');
    const [username, password] = credentials(userInfo);
    return {
      kind: 'sentinel',
      options: {
        sentinels: hosts.split(',').map((entry) => hostPort(entry.trim())),
        name: decodeURIComponent(name),
        username,
        password,
        db: db ? Number(db) : undefined,
        sentinelPassword: params.get('sentinelPassword') ?? undefined,
        tls: scheme === 'rediss' ? {} : undefined,
        enableTLSForSentinelMode: scheme === 'rediss' ? true : undefined,
      },
    };
  }
  return { kind: 'single', options: nodeOptions(new URL(settings.REDIS_URL)) };
}

/**
 * The one way the service (and its tests and bench) makes a Redis client: an ioredis `Redis`
 * for one node or a Sentinel-managed primary, an ioredis `Cluster` for `REDIS_CLUSTER_NODES`.
 * `options` are per use (fail fast at an HTTP edge, never give up in a worker); on a cluster
 * they apply to the cluster client and to each node's connection.
 */
export function createRedis(
  settings: RedisSettings,
  options: RedisClientOptions = {},
): RedisClient {
  const topology = redisTopology(settings);
  if (topology.kind !== 'cluster') return new IORedis({ ...topology.options, ...options });
  const {
    retryStrategy,
    lazyConnect,
    enableOfflineQueue,
    enableReadyCheck,
    enableAutoPipelining,
    ...perNode
  } = options;
  const clusterOptions: ClusterOptions = {
    lazyConnect,
    enableOfflineQueue,
    enableReadyCheck,
    enableAutoPipelining,
    clusterRetryStrategy: retryStrategy,
    // A killed primary: its slots answer again once a replica is promoted (cluster-node-timeout).
    retryDelayOnFailover: 200,
    retryDelayOnClusterDown: 200,
    // A busy machine answers CLUSTER SLOTS slowly; the 1 s default then fails start-ups.
    slotsRefreshTimeout: 3000,
    // Nodes do not reconnect by themselves: the cluster client reconnects and re-reads slots.
    redisOptions: { ...topology.options, ...perNode },
  };
  return new Cluster(topology.nodes, clusterOptions);
}

/**
 * BullMQ's `connection` for BullModule: options for one node or Sentinel (BullMQ then opens its
 * own connections, as many as it needs), a Cluster client for a cluster (BullMQ duplicates it
 * for blocking reads; the caller closes it at shutdown).
 */
export function bullConnection(settings: RedisSettings): RedisOptions | Cluster {
  const topology = redisTopology(settings);
  if (topology.kind === 'cluster')
    return createRedis(settings, { maxRetriesPerRequest: null }) as Cluster;
  return { ...topology.options, maxRetriesPerRequest: null };
}

export function isCluster(client: RedisClient): client is Cluster {
  return (client as Cluster).isCluster === true;
}

/** The clients that hold data: each primary of a cluster (and its replicas when `all`), or the client. */
export function dataNodes(client: RedisClient, which: 'master' | 'all' = 'master'): IORedis[] {
  return isCluster(client) ? client.nodes(which) : [client];
}

function nodeOptions(url: URL): RedisOptions {
  if (!/^rediss?:$/.test(url.protocol)) throw new Error(`${url.protocol} is not redis: or rediss:`);
  return {
    host: url.hostname,
    port: Number(url.port || 6379),
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : undefined,
    tls: url.protocol === 'rediss:' ? {} : undefined,
  };
}

function hostPort(entry: string): { host: string; port: number } {
  const match = /^(?:rediss?:\/\/)?(\[[^\]]+\]|[^:/]+):(\d{1,5})\/?$/.exec(entry);
  if (!match) throw new Error(`"${entry}" is not host:port`);
  return { host: match[1].replace(/^\[|\]$/g, ''), port: Number(match[2]) };
}

function credentials(userInfo: string | undefined): [string | undefined, string | undefined] {
  if (!userInfo) return [undefined, undefined];
  const colon = userInfo.indexOf(':');
  const user = colon < 0 ? userInfo : userInfo.slice(0, colon);
  const password = colon < 0 ? undefined : userInfo.slice(colon + 1);
  return [
    user ? decodeURIComponent(user) : undefined,
    password ? decodeURIComponent(password) : undefined,
  ];
}

/**
 * BullMQ's prefix for every queue, and the start of the ordering keys: `<QUEUE_PREFIX>:{<QUEUE_PREFIX>}`.
 * The `{…}` is a Redis Cluster hash tag: every key of every queue, and the ordering keys written
 * in the same transaction as a message's job, live in one slot (docs/SCALING.md). The tag repeats
 * the prefix so that deployments sharing a cluster under different prefixes spread over slots.
 */
export function queuePrefix(settings: { QUEUE_PREFIX: string }): string {
  return `${settings.QUEUE_PREFIX}:{${settings.QUEUE_PREFIX}}`;
}

/**
 * The connection that writes `key`: on a cluster, the primary serving its slot now (it moves at
 * a failover), else the client itself. WAIT on it counts the replicas that have that write.
 */
export function writerOf(client: RedisClient, key: string): IORedis | undefined {
  if (!isCluster(client)) return client;
  const primary = client.slots[calculateSlot(key)]?.[0];
  return client
    .nodes('master')
    .find((node) => `${node.options.host}:${node.options.port}` === primary);
}
