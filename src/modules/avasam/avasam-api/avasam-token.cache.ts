import { LRUCache } from 'lru-cache';

export interface AvasamToken {
  accessToken: string;
  /** From Avasam's `expires_at`; undefined when it sent none we could read. */
  expiresAt?: Date;
}

/** A token is given up this long before Avasam's expiry (a tenth of a short token's life). */
export const EXPIRY_MARGIN_MS = 30_000;

interface Entry {
  token: AvasamToken;
  usableUntil: number;
}

/**
 * Avasam access tokens per key pair, reused until shortly before `expires_at` (as Avasam asks:
 * "store the access_token … until it expires"). Concurrent callers share one token request. A
 * token without a readable expiry is used once and not kept.
 */
export class AvasamTokenCache {
  private readonly entries = new LRUCache<string, Entry>({ max: 10_000 });
  private readonly pending = new Map<string, Promise<AvasamToken>>();

  constructor(private readonly now: () => number = Date.now) {}

  async get(key: string, request: () => Promise<AvasamToken>): Promise<AvasamToken> {
    const entry = this.entries.get(key);
    if (entry && this.now() < entry.usableUntil) return entry.token;
    const inFlight = this.pending.get(key);
    if (inFlight) return inFlight;
    const fetching = request()
      .then((token) => {
        this.keep(key, token);
        return token;
      })
      .finally(() => this.pending.delete(key));
    this.pending.set(key, fetching);
    return fetching;
  }

  /** Avasam refused this token (401): forget it, unless another caller already replaced it. */
  discard(key: string, token: AvasamToken): void {
    if (this.entries.get(key)?.token.accessToken === token.accessToken) this.entries.delete(key);
  }

  private keep(key: string, token: AvasamToken): void {
    if (!token.expiresAt) return;
    const now = this.now();
    const lifetime = token.expiresAt.getTime() - now;
    const usableUntil = token.expiresAt.getTime() - Math.min(EXPIRY_MARGIN_MS, lifetime / 10);
    if (usableUntil > now) this.entries.set(key, { token, usableUntil });
  }
}
