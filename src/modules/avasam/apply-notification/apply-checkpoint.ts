import type { Job } from 'bullmq';

/** What applying a notification did; kept so a retry (e.g. of a failed acknowledgement) skips it. */
export interface AppliedOutcome {
  applied: number;
  superseded: number;
}

export interface ApplyCheckpoint {
  readonly applied: AppliedOutcome | undefined;
  save(outcome: AppliedOutcome): Promise<void>;
}

/**
 * The checkpoint lives in the BullMQ job's progress, so it survives retries of the job. Losing it
 * is harmless: applying again is idempotent (same Idempotency-Key, equal watermarks).
 */
export class JobProgressCheckpoint implements ApplyCheckpoint {
  constructor(private readonly job: Job) {}

  get applied(): AppliedOutcome | undefined {
    const progress: unknown = this.job.progress;
    if (typeof progress !== 'object' || progress === null) return undefined;
    return (progress as { applied?: AppliedOutcome }).applied;
  }

  save(outcome: AppliedOutcome): Promise<void> {
    return this.job.updateProgress({ applied: outcome });
  }
}
