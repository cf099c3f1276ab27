import { AvasamToken, AvasamTokenCache } from './avasam-token.cache';

describe('AvasamTokenCache', () => {
  let now: number;
  let issued: number;
  let sut: AvasamTokenCache;
  const request = (lifetimeMs?: number) => async (): Promise<AvasamToken> => {
    issued++;
    return {
      accessToken: `token-${issued}`,
      expiresAt: lifetimeMs === undefined ? undefined : new Date(now + lifetimeMs),
    };
  };

  beforeEach(() => {
    now = Date.parse('2024-05-01T10:00:00Z');
    issued = 0;
    sut = new AvasamTokenCache(() => now);
  });

  it('reuses a token until shortly before expires_at, then requests a new one', async () => {
    const hour = 3600_000;
    expect((await sut.get('k', request(hour))).accessToken).toBe('token-1');
    now += hour - 31_000;
    expect((await sut.get('k', request(hour))).accessToken).toBe('token-1');
    now += 2_000;
    expect((await sut.get('k', request(hour))).accessToken).toBe('token-2');
  });

  it('keeps a short-lived token for nine tenths of its life', async () => {
    await sut.get('k', request(10_000));
    now += 8_900;
    expect((await sut.get('k', request(10_000))).accessToken).toBe('token-1');
    now += 200;
    expect((await sut.get('k', request(10_000))).accessToken).toBe('token-2');
  });

  it('shares one request between concurrent callers and keeps key pairs apart', async () => {
    const tokens = await Promise.all([
      sut.get('k', request(60_000)),
      sut.get('k', request(60_000)),
      sut.get('other', request(60_000)),
    ]);
    expect(tokens.map((t) => t.accessToken)).toEqual(['token-1', 'token-1', 'token-2']);
  });

  it('forgets a refused token, but not one another caller already replaced', async () => {
    const first = await sut.get('k', request(60_000));
    sut.discard('k', first);
    const second = await sut.get('k', request(60_000));
    expect(second.accessToken).toBe('token-2');
    sut.discard('k', first);
    expect((await sut.get('k', request(60_000))).accessToken).toBe('token-2');
  });

  it('does not keep a token without a readable expiry', async () => {
    await sut.get('k', request());
    expect((await sut.get('k', request())).accessToken).toBe('token-2');
  });

  it('does not cache a failed request', async () => {
    await expect(sut.get('k', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect((await sut.get('k', request(60_000))).accessToken).toBe('token-1');
  });
});
