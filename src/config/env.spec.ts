import { LOCAL_MANAGEMENT_JWT_SECRET, loadEnv } from './env';

describe('loadEnv', () => {
  it('works with no settings at all, with local defaults', () => {
    const sut = loadEnv({});
    expect(sut).toMatchObject({
      PORT: 3000,
      ROLE: 'all',
      RETRY_ATTEMPTS: 10,
      RETRY_BASE_DELAY_MS: 5000,
      // A killed worker's jobs are picked up again within about 8 + 4 s.
      WORKER_LOCK_DURATION_MS: 8000,
      WORKER_STALLED_INTERVAL_MS: 4000,
      WORKER_MAX_STALLED_COUNT: 10,
    });
    expect(sut.sandboxEnabled).toBe(true);
    expect(sut.avvyrApiUrl).toBe('http://127.0.0.1:3000/sandbox/avvyr');
  });

  it('parses numbers and booleans from strings', () => {
    const sut = loadEnv({ PORT: '4000', RETRY_ATTEMPTS: '3', SANDBOX: 'false', ROLE: 'worker' });
    expect(sut).toMatchObject({ PORT: 4000, RETRY_ATTEMPTS: 3, ROLE: 'worker' });
    expect(sut.sandboxEnabled).toBe(false);
    expect(sut.runsApi).toBe(false);
    expect(sut.runsWorker).toBe(true);
  });

  it('names every bad setting in one line', () => {
    let message = '';
    try {
      loadEnv({ PORT: 'eighty', ROLE: 'boss', REDIS_URL: 'http://x' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message.split('\n')).toHaveLength(1);
    for (const name of ['PORT', 'ROLE', 'REDIS_URL']) expect(message).toContain(`${name}: `);
  });

  it('defaults the inbound rate limit to 500/s, burst 1000, and refuses a window that is not whole seconds', () => {
    expect(loadEnv({})).toMatchObject({ RATE_LIMIT_PER_SECOND: 500, RATE_LIMIT_BURST: 1000 });
    expect(loadEnv({ RATE_LIMIT_PER_SECOND: '200', RATE_LIMIT_BURST: '400' })).toMatchObject({
      RATE_LIMIT_PER_SECOND: 200,
      RATE_LIMIT_BURST: 400,
    });
    expect(() => loadEnv({ RATE_LIMIT_PER_SECOND: '300', RATE_LIMIT_BURST: '400' })).toThrow(
      /RATE_LIMIT_BURST: burst must be a whole multiple of perSecond/,
    );
    expect(() => loadEnv({ RATE_LIMIT_PER_SECOND: '1', RATE_LIMIT_BURST: '61' })).toThrow(
      /RATE_LIMIT_BURST: burst \/ perSecond .* at most 60/,
    );
    expect(() => loadEnv({ RATE_LIMIT_PER_SECOND: '0' })).toThrow(/RATE_LIMIT_PER_SECOND: /);
  });

  it('refuses the local secrets in production', () => {
    expect(() => loadEnv({ NODE_ENV: 'production' })).toThrow(/MANAGEMENT_JWT_SECRET: the local/);
    const production = loadEnv({
      NODE_ENV: 'production',
      MANAGEMENT_JWT_SECRET: 'p'.repeat(40),
      SECRETS_KEY: 'ab'.repeat(32),
      AVVYR_API_TOKEN: 'real-token',
      AVVYR_API_URL: 'https://api.avvyr.example',
    });
    expect(production.sandboxEnabled).toBe(false);
    expect(production.MANAGEMENT_JWT_SECRET).not.toBe(LOCAL_MANAGEMENT_JWT_SECRET);
  });

  it('follows LOCAL_REDIS_PORT / LOCAL_MONGO_PORT like the local-services script', () => {
    const moved = loadEnv({ LOCAL_REDIS_PORT: '6480', LOCAL_MONGO_PORT: '27118' });
    expect(moved.REDIS_URL).toBe('redis://127.0.0.1:6480');
    expect(moved.MONGODB_URI).toBe('mongodb://127.0.0.1:27118/avvyr_integrations');
    const explicit = loadEnv({ LOCAL_REDIS_PORT: '6480', REDIS_URL: 'redis://cache:6379' });
    expect(explicit.REDIS_URL).toBe('redis://cache:6379');
  });
});
