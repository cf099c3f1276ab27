import { RemoteCallError } from './remote-call.error';

/** Longest wait between two attempts, whatever the backoff or Retry-After says. */
export const MAX_RETRY_DELAY_MS = 60 * 60 * 1000;

/**
 * Exponential backoff (base, 2×base, 4×base…) that never waits less than a Retry-After the
 * remote asked for. `attemptsMade` counts the attempts already failed (1 after the first).
 */
export function retryDelayMs(attemptsMade: number, baseDelayMs: number, error?: unknown): number {
  const exponential = baseDelayMs * 2 ** Math.max(0, attemptsMade - 1);
  const retryAfter = error instanceof RemoteCallError ? (error.retryAfterMs ?? 0) : 0;
  return Math.min(MAX_RETRY_DELAY_MS, Math.max(exponential, retryAfter));
}

/** Name of the BullMQ backoff type that uses retryDelayMs; the delay option is the base. */
export const BACKOFF_TYPE = 'exponential-retry-after';
