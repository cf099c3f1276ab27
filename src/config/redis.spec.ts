import { Cluster } from 'ioredis';
import { loadEnv } from './env';
import { bullConnection, createRedis, queuePrefix, redisTopology } from './redis';

describe('redisTopology', () => {
  it('reads one node from REDIS_URL, with credentials, db and TLS', () => {
    const sut = redisTopology({ REDIS_URL: 'rediss://app:s%40cret@cache.internal:6390/2' });
    expect(sut).toEqual({
      kind: 'single',
      options: {
        host: 'cache.internal',
        port: 6390,
        username: 'app',
        password: 's@cret',
        db: 2,
        tls: {},
      },
    });
  });

  it('reads a Sentinel set and its master name from redis+sentinel://', () => {
    const sut = redisTopology({
      REDIS_URL:
        'redis+sentinel://:pw@10.0.0.1:26379,10.0.0.2:26380/mymaster/3?sentinelPassword=sp',
    });
    expect(sut).toEqual({
      kind: 'sentinel',
      options: expect.objectContaining({
        sentinels: [
          { host: '10.0.0.1', port: 26379 },
          { host: '10.0.0.2', port: 26380 },
        ],
        name: 'mymaster',
        password: 'pw',
        username: undefined,
        db: 3,
        sentinelPassword: 'sp',
        tls: undefined,
      }),
    });
  });

  it('reads cluster nodes from REDIS_CLUSTER_NODES, credentials from REDIS_URL', () => {
    const sut = redisTopology({
      REDIS_URL: 'redis://:pw@ignored:1',
      REDIS_CLUSTER_NODES: '127.0.0.1:7400, 127.0.0.1:7401,redis://[::1]:7402',
    });
    expect(sut).toEqual({
      kind: 'cluster',
      nodes: [
        { host: '127.0.0.1', port: 7400 },
        { host: '127.0.0.1', port: 7401 },
        { host: '::1', port: 7402 },
      ],
      options: { username: undefined, password: 'pw', tls: undefined },
    });
  });

  it('refuses a node that is not host:port, naming it', () => {
    expect(() =>
      redisTopology({ REDIS_URL: 'redis://x:1', REDIS_CLUSTER_NODES: '127.0.0.1:7400,nohost' }),
    ).toThrow('"nohost" is not host:port');
  });
});

describe('loadEnv and the Redis settings', () => {
  it('accepts a redis+sentinel:// REDIS_URL', () => {
    const sut = loadEnv({ REDIS_URL: 'redis+sentinel://s1:26379/mymaster' });
    expect(sut.REDIS_URL).toBe('redis+sentinel://s1:26379/mymaster');
  });

  it('stops start-up on bad cluster nodes or a Sentinel URL without a master name', () => {
    expect(() => loadEnv({ REDIS_CLUSTER_NODES: 'a:b' })).toThrow(
      'REDIS_CLUSTER_NODES: "a:b" is not host:port',
    );
    expect(() => loadEnv({ REDIS_URL: 'redis+sentinel://s1:26379' })).toThrow(/REDIS_URL: /);
  });
});

describe('createRedis and bullConnection', () => {
  it('make a Cluster client for REDIS_CLUSTER_NODES, options for one node', () => {
    const settings = { REDIS_URL: 'redis://127.0.0.1:1', REDIS_CLUSTER_NODES: '127.0.0.1:1' };
    const cluster = createRedis(settings, { lazyConnect: true });
    expect(cluster).toBeInstanceOf(Cluster);
    cluster.disconnect();
    const shared = bullConnection(settings);
    expect(shared).toBeInstanceOf(Cluster);
    (shared as Cluster).disconnect();
    expect(bullConnection({ REDIS_URL: 'redis://127.0.0.1:6390' })).toEqual(
      expect.objectContaining({ host: '127.0.0.1', port: 6390, maxRetriesPerRequest: null }),
    );
  });
});

describe('queuePrefix', () => {
  it('puts the prefix in a hash tag, so each deployment has its queues in one slot', () => {
    expect(queuePrefix({ QUEUE_PREFIX: 'avvyr' })).toBe('avvyr:{avvyr}');
  });
});
