import type { MinimalJob } from 'bullmq';
import { BACKOFF_TYPE, retryDelayMs } from '../remote';

/**
 * Worker `settings.backoffStrategy`: exponential from the job's own base delay, never sooner
 * than a Retry-After the remote sent. The base lives on the job, so this stays static code.
 */
export function backoffStrategy(
  attemptsMade: number,
  type?: string,
  error?: Error,
  job?: MinimalJob,
): number {
  const backoff = job?.opts.backoff;
  const base = typeof backoff === 'object' && backoff.delay ? backoff.delay : 1000;
  if (type !== BACKOFF_TYPE) return base;
  return retryDelayMs(attemptsMade, base, error);
}
