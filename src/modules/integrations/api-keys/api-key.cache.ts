import { Injectable, Logger } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { LRUCache } from 'lru-cache';
import { Model } from 'mongoose';
import { isStoreUnavailable, StoreUnavailableError } from '../../../common/errors';
import { Integration, IntegrationView, toView } from '../integration.schema';
import { hashApiKey } from './api-key';

/** How long a key lookup (hit or miss) is trusted before it is looked up again. */
export const API_KEY_CACHE_TTL_MS = 500;
/**
 * How long an older lookup may still answer while its refresh is under way (or failing with an
 * error the store answered). Past it a request waits for the store. While the store cannot be
 * reached at all, a known key keeps its last lookup: nobody can disable or rotate a key then
 * (the management API answers 503), and Redis, not the store, is what ingest needs.
 */
export const API_KEY_CACHE_MAX_STALE_MS = 5_000;

interface Lookup {
  integration: IntegrationView | null;
  /** A previous key in its grace: it stops here, whatever the cache or the store's state. */
  keyExpiresAt?: number;
  /** Until then it answers as is; after, it answers while a refresh is under way… */
  freshUntil: number;
  /** …until then, and no longer. */
  usableUntil: number;
}

/**
 * Resolves API keys to integrations by SHA-256, caching briefly so the inbound hot path does not
 * hit MongoDB per request. A lookup older than the TTL is refreshed once, in the background,
 * while requests go on with it: no request waits on the store for a key it knows, and a burst
 * does not send one query per request when the TTL runs out. A regenerated or disabled key stops
 * working everywhere as soon as that refresh lands (within about the TTL), and at once on the
 * replica that made the change (it clears its cache).
 */
@Injectable()
export class ApiKeyCache {
  private readonly logger = new Logger(ApiKeyCache.name);
  private readonly cache = new LRUCache<string, Lookup>({ max: 10_000 });
  private readonly pending = new Map<string, Promise<Lookup>>();
  /** Bumped by clear(), so that a query started before it does not refill the cache. */
  private generation = 0;
  /** The last query could not reach the store: known keys answer from memory, unbounded. */
  private storeUnreachable = false;

  constructor(@InjectModel(Integration.name) private readonly integrations: Model<Integration>) {}

  /** Rejects with a 503 STORE_UNAVAILABLE for a key it must look up while the store is down. */
  async find(apiKey: string): Promise<IntegrationView | null> {
    const hash = hashApiKey(apiKey);
    const cached = this.cache.get(hash);
    const now = Date.now();
    if (cached?.keyExpiresAt !== undefined && now >= cached.keyExpiresAt) {
      // Its grace is over: nothing can bring it back (a roll only ever replaces it).
      this.cache.set(hash, { integration: null, freshUntil: Infinity, usableUntil: Infinity });
      return null;
    }
    if (!cached || (now >= cached.usableUntil && !this.storeUnreachable)) {
      try {
        return (await this.lookup(hash)).integration;
      } catch (error) {
        if (!isStoreUnavailable(error)) throw error;
        if (cached) return cached.integration;
        throw new StoreUnavailableError(
          'The document store is unavailable, so this API key cannot be checked. Retry with backoff.',
        );
      }
    }
    if (now >= cached.freshUntil) {
      this.lookup(hash).catch((error: unknown) =>
        this.logger.warn({ err: error }, 'Refreshing an API key lookup failed; using the last one'),
      );
    }
    return cached.integration;
  }

  clear(): void {
    this.generation++;
    this.cache.clear();
    this.pending.clear();
  }

  /** One query per key at a time, however many requests need it. */
  private lookup(hash: string): Promise<Lookup> {
    const inFlight = this.pending.get(hash);
    if (inFlight) return inFlight;
    const query = this.query(hash).finally(() => {
      if (this.pending.get(hash) === query) this.pending.delete(hash);
    });
    this.pending.set(hash, query);
    return query;
  }

  private async query(hash: string): Promise<Lookup> {
    const generation = this.generation;
    let doc;
    try {
      // The current key, or the previous one while its grace lasts (both fields are indexed).
      doc = await this.integrations
        .findOne({
          $or: [
            { apiKeyHash: hash },
            { previousApiKeyHash: hash, previousApiKeyExpiresAt: { $gt: new Date() } },
          ],
        })
        .lean();
    } catch (error) {
      if (isStoreUnavailable(error)) this.storeUnreachable = true;
      throw error;
    }
    this.storeUnreachable = false;
    const now = Date.now();
    const lookup: Lookup = {
      integration: doc ? toView(doc) : null,
      freshUntil: now + API_KEY_CACHE_TTL_MS,
      usableUntil: now + API_KEY_CACHE_MAX_STALE_MS,
      ...(doc &&
        doc.apiKeyHash !== hash &&
        doc.previousApiKeyExpiresAt && {
          keyExpiresAt: new Date(doc.previousApiKeyExpiresAt).getTime(),
        }),
    };
    // A clear() while the query ran (a key changed here) must not be undone by its answer.
    if (generation === this.generation) this.cache.set(hash, lookup);
    return lookup;
  }
}
