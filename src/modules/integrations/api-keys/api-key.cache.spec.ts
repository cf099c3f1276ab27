import { Logger } from '@nestjs/common';
import type { Model } from 'mongoose';
import type { Integration } from '../integration.schema';
import { hashApiKey } from './api-key';
import { API_KEY_CACHE_MAX_STALE_MS, API_KEY_CACHE_TTL_MS, ApiKeyCache } from './api-key.cache';

/** A stand-in for the integrations model: answers findOne(...).lean() from a map, counting calls. */
function fakeIntegrations() {
  const byHash = new Map<string, Record<string, unknown>>();
  const gates: Array<() => void> = [];
  let hold = false;
  let fail: Error | undefined;
  /** The cache's filter: the current key, or a previous key whose grace has not ended. */
  type Filter = {
    $or: [
      { apiKeyHash: string },
      { previousApiKeyHash: string; previousApiKeyExpiresAt: { $gt: Date } },
    ];
  };
  const findOne = jest.fn((filter: Filter) => ({
    lean: async () => {
      if (hold) await new Promise<void>((resolve) => gates.push(resolve));
      if (fail) throw fail;
      const [current, previous] = filter.$or;
      const graced = [...byHash.values()].find(
        (doc) =>
          doc.previousApiKeyHash === previous.previousApiKeyHash &&
          (doc.previousApiKeyExpiresAt as Date) > previous.previousApiKeyExpiresAt.$gt,
      );
      return byHash.get(current.apiKeyHash) ?? graced ?? null;
    },
  }));
  return {
    model: { findOne } as unknown as Model<Integration>,
    findOne,
    put: (key: string, name: string) =>
      byHash.set(hashApiKey(key), {
        _id: 'int-1',
        accountId: 'acc-1',
        service: 'custom',
        name,
        enabled: true,
        apiKeyHash: hashApiKey(key),
        apiKeyPrefix: key.slice(0, 8),
        settings: {},
      }),
    /** `key` becomes the previous key of `next` until `expiresAt` (a roll with grace). */
    roll: (key: string, next: string, expiresAt: Date) => {
      const doc = byHash.get(hashApiKey(key))!;
      byHash.delete(hashApiKey(key));
      byHash.set(hashApiKey(next), {
        ...doc,
        apiKeyHash: hashApiKey(next),
        previousApiKeyHash: hashApiKey(key),
        previousApiKeyPrefix: key.slice(0, 8),
        previousApiKeyExpiresAt: expiresAt,
      });
    },
    hold: () => (hold = true),
    release: () => {
      hold = false;
      gates.splice(0).forEach((open) => open());
    },
    failing: (value: boolean | Error) =>
      (fail = value === true ? new Error('store unreachable') : value || undefined),
  };
}

describe('ApiKeyCache', () => {
  beforeEach(() => jest.useFakeTimers({ now: Date.parse('2026-11-29T10:00:00Z') }));
  afterEach(() => jest.useRealTimers());

  it('looks a key up once, then answers from memory within the TTL', async () => {
    const store = fakeIntegrations();
    store.put('key-a', 'A');
    const cache = new ApiKeyCache(store.model);
    expect((await cache.find('key-a'))?.name).toBe('A');
    expect((await cache.find('key-a'))?.name).toBe('A');
    expect(store.findOne).toHaveBeenCalledTimes(1);
  });

  it('sends one query for many requests that miss at once', async () => {
    const store = fakeIntegrations();
    store.put('key-a', 'A');
    store.hold();
    const cache = new ApiKeyCache(store.model);
    const answers = Array.from({ length: 20 }, () => cache.find('key-a'));
    store.release();
    expect((await Promise.all(answers)).every((i) => i?.name === 'A')).toBe(true);
    expect(store.findOne).toHaveBeenCalledTimes(1);
  });

  it('after the TTL answers at once with the last lookup and refreshes it in the background', async () => {
    const store = fakeIntegrations();
    store.put('key-a', 'A');
    const cache = new ApiKeyCache(store.model);
    await cache.find('key-a');
    store.put('key-a', 'A renamed');
    jest.advanceTimersByTime(API_KEY_CACHE_TTL_MS + 1);
    store.hold();
    // Requests while the refresh is under way do not wait for it, and do not start another.
    expect((await cache.find('key-a'))?.name).toBe('A');
    expect((await cache.find('key-a'))?.name).toBe('A');
    expect(store.findOne).toHaveBeenCalledTimes(2);
    store.release();
    await jest.runAllTimersAsync();
    expect((await cache.find('key-a'))?.name).toBe('A renamed');
  });

  it('keeps answering with the last lookup while refreshes fail, up to the staleness bound', async () => {
    const store = fakeIntegrations();
    store.put('key-a', 'A');
    const cache = new ApiKeyCache(store.model);
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    await cache.find('key-a');
    store.failing(true);
    jest.advanceTimersByTime(API_KEY_CACHE_TTL_MS + 1);
    expect((await cache.find('key-a'))?.name).toBe('A');
    await jest.runAllTimersAsync();
    jest.advanceTimersByTime(API_KEY_CACHE_MAX_STALE_MS);
    await expect(cache.find('key-a')).rejects.toThrow('store unreachable');
    expect(warn).toHaveBeenCalled();
    warn.mockRestore();
  });

  it('while the store cannot be reached, keeps known keys past the bound and refuses unknown ones with 503', async () => {
    const store = fakeIntegrations();
    store.put('key-a', 'A');
    const cache = new ApiKeyCache(store.model);
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    await cache.find('key-a');
    store.failing(
      Object.assign(new Error('Server selection timed out'), {
        name: 'MongooseServerSelectionError',
      }),
    );
    for (let i = 0; i < 5; i++) {
      jest.advanceTimersByTime(API_KEY_CACHE_MAX_STALE_MS);
      expect((await cache.find('key-a'))?.name).toBe('A');
      await jest.runAllTimersAsync();
    }
    await expect(cache.find('key-b')).rejects.toMatchObject({
      status: 503,
      code: 'STORE_UNAVAILABLE',
    });
    // Back: the next lookups answer from the store again.
    store.failing(false);
    store.put('key-a', 'A renamed');
    jest.advanceTimersByTime(API_KEY_CACHE_MAX_STALE_MS);
    await cache.find('key-a');
    await jest.runAllTimersAsync();
    expect((await cache.find('key-a'))?.name).toBe('A renamed');
    warn.mockRestore();
  });

  it('does not let a lookup that started before clear() refill the cache', async () => {
    const store = fakeIntegrations();
    store.put('key-a', 'A');
    store.hold();
    const cache = new ApiKeyCache(store.model);
    const before = cache.find('key-a');
    cache.clear();
    store.put('key-a', 'A disabled');
    store.release();
    await before;
    expect((await cache.find('key-a'))?.name).toBe('A disabled');
  });

  it('never answers for a previous key past the end of its grace, even from memory', async () => {
    const store = fakeIntegrations();
    store.put('key-a', 'A');
    const cache = new ApiKeyCache(store.model);
    store.roll('key-a', 'key-b', new Date(Date.now() + 2000));
    expect((await cache.find('key-a'))?.name).toBe('A');
    expect((await cache.find('key-b'))?.name).toBe('A');
    // Within the TTL the cached lookup answers, but not a millisecond past the grace.
    jest.advanceTimersByTime(1999);
    expect((await cache.find('key-a'))?.name).toBe('A');
    jest.advanceTimersByTime(1);
    expect(await cache.find('key-a')).toBeNull();
    expect((await cache.find('key-b'))?.name).toBe('A');
  });

  it('ends a previous key at its grace while the store cannot be reached', async () => {
    const store = fakeIntegrations();
    store.put('key-a', 'A');
    const cache = new ApiKeyCache(store.model);
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    store.roll('key-a', 'key-b', new Date(Date.now() + 60_000));
    await cache.find('key-a');
    await cache.find('key-b');
    store.failing(
      Object.assign(new Error('Server selection timed out'), {
        name: 'MongooseServerSelectionError',
      }),
    );
    jest.advanceTimersByTime(API_KEY_CACHE_MAX_STALE_MS);
    expect((await cache.find('key-a'))?.name).toBe('A');
    await jest.runAllTimersAsync();
    jest.advanceTimersByTime(60_000);
    expect(await cache.find('key-a')).toBeNull();
    expect((await cache.find('key-b'))?.name).toBe('A');
    warn.mockRestore();
  });
});
