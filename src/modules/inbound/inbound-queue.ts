import type { JobsOptions } from 'bullmq';
import type { Env } from '../../config/env';
import { BACKOFF_TYPE } from '../../common/remote';

export const INBOUND_QUEUE = 'inbound';

/** Finished jobs kept in Redis: bounded by age and count so memory stays flat. */
export const COMPLETED_JOB_RETENTION = { age: 24 * 3600, count: 5000 };
/** Failed jobs stay visible (Bull Board, retry) much longer. */
export const FAILED_JOB_RETENTION = { age: 14 * 24 * 3600, count: 50_000 };

export function trackedJobOptions(env: Env, messageId: string): JobsOptions {
  return {
    jobId: messageId,
    attempts: env.RETRY_ATTEMPTS,
    backoff: { type: BACKOFF_TYPE, delay: env.RETRY_BASE_DELAY_MS },
    removeOnComplete: COMPLETED_JOB_RETENTION,
    removeOnFail: FAILED_JOB_RETENTION,
  };
}
