import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { LRUCache } from 'lru-cache';
import { Model } from 'mongoose';
import { Integration, IntegrationView, toView } from '../integration.schema';
import { hashApiKey } from './api-key';

/** How long a key lookup (hit or miss) is trusted; bounds how late a rotation takes effect. */
export const API_KEY_CACHE_TTL_MS = 500;

type Lookup = { integration: IntegrationView | null };

/**
 * Resolves API keys to integrations by SHA-256, caching briefly so the inbound hot path does not
 * hit MongoDB per request. A regenerated or disabled key stops working within the TTL everywhere,
 * and at once on the replica that made the change (it clears its cache).
 */
@Injectable()
export class ApiKeyCache {
  private readonly cache = new LRUCache<string, Lookup>({ max: 10_000, ttl: API_KEY_CACHE_TTL_MS });

  constructor(@InjectModel(Integration.name) private readonly integrations: Model<Integration>) {}

  async find(apiKey: string): Promise<IntegrationView | null> {
    const hash = hashApiKey(apiKey);
    const cached = this.cache.get(hash);
    if (cached) return cached.integration;
    const doc = await this.integrations.findOne({ apiKeyHash: hash }).lean();
    const lookup = { integration: doc ? toView(doc) : null };
    this.cache.set(hash, lookup);
    return lookup.integration;
  }

  clear(): void {
    this.cache.clear();
  }
}
