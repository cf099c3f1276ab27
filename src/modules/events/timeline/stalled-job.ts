import { Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import { MessageStatus } from './message-step';
import { MessageTimeline } from './message-timeline';
import type { TrackedJobData } from './tracked-job';

/** The code of the error shown on an event whose job BullMQ failed as stalled too often. */
export const STALLED_ERROR_CODE = 'STALLED_TOO_OFTEN';

/**
 * Records the outcome of a tracked job that BullMQ failed without running it (its workers died
 * while holding it more than WORKER_MAX_STALLED_COUNT times): the event becomes `failed` with
 * the reason, so it can be found (filter status=failed) and retried like any other failure.
 */
@Injectable()
export class StalledJobRecorder {
  constructor(private readonly timeline: MessageTimeline) {}

  async recordFailure(job: Job<TrackedJobData>, reason: string): Promise<void> {
    // BullMQ counted this as an attempt: the same number as the attempt that stalled.
    const attempt = Math.max(1, job.attemptsMade);
    await this.timeline.record({
      context: job.data.context,
      source: job.data.source,
      action: job.data.action,
      entityId: job.data.entityId,
      externalId: job.data.externalId,
      step: 'failed',
      status: MessageStatus.Failed,
      run: job.data.run,
      attempt,
      totalAttempts: job.data.priorAttempts + attempt,
      at: new Date(),
      error: {
        code: STALLED_ERROR_CODE,
        message:
          `${reason}: the workers processing it stopped (crashed or were killed) more than ` +
          'WORKER_MAX_STALLED_COUNT times. Every backend call carries its Idempotency-Key, so it ' +
          'is safe to retry.',
        retryable: false,
      },
    });
  }
}
