import type { JobsOptions } from 'bullmq';
import type { Env } from '../../config/env';
import { BACKOFF_TYPE } from '../remote';

/** Finished jobs kept in Redis: bounded by age and count so memory stays flat. */
export const COMPLETED_JOB_RETENTION = { age: 24 * 3600, count: 5000 };
/** Failed jobs stay visible (Bull Board, retry) much longer. */
export const FAILED_JOB_RETENTION = { age: 14 * 24 * 3600, count: 50_000 };

/**
 * Options of every tracked message job (inbound and Avasam): the messageId is the job id (so
 * BullMQ keeps one job per message), bounded attempts with our exponential/Retry-After backoff.
 */
export function trackedJobOptions(env: Env, messageId: string): JobsOptions & { jobId: string } {
  return {
    jobId: messageId,
    attempts: env.RETRY_ATTEMPTS,
    backoff: { type: BACKOFF_TYPE, delay: env.RETRY_BASE_DELAY_MS },
    removeOnComplete: COMPLETED_JOB_RETENTION,
    removeOnFail: FAILED_JOB_RETENTION,
  };
}
