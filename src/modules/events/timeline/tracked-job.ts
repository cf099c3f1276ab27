import { Injectable } from '@nestjs/common';
import { Job, UnrecoverableError } from 'bullmq';
import type { MessageContext, MessageSource } from '../../../common/context';
import { RemoteCallError, retryDelayMs } from '../../../common/remote';
import { MessageStatus, MessageStep, StepError } from './message-step';
import { ReplayOutcomes } from '../replay/replay-outcomes';
import { MessageTimeline } from './message-timeline';

/** What every tracked job carries: enough to project its event and to retry it later. */
export interface TrackedJobData<P = unknown> {
  context: MessageContext;
  source: MessageSource;
  action: string;
  entityId?: string;
  externalId?: string;
  payload: P;
  /** 0 for the first run; each manual retry adds one. */
  run: number;
  /** Attempts made in earlier runs. */
  priorAttempts: number;
  /** The message this one was last seen waiting for on one of its keys (README "Ordering"). */
  heldBehind?: string;
  /** The bulk replay that queued this run, if one did (README "Bulk replay"). */
  replayId?: string;
}

/**
 * How long the `processing` step waits to share its write with the attempt's outcome. Most
 * backend calls return well within it, and then a processed message costs one write instead of
 * two; a longer call shows `processing` this much later.
 */
export const PROCESSING_STEP_DEFER_MS = 250;

/** Lets a handler add informational steps (applied, acknowledged…) to its message's timeline. */
export type StepReporter = (step: string, detail?: Record<string, unknown>) => Promise<void>;

/**
 * Runs one attempt of a job and records its steps: processing, then succeeded, retrying or
 * failed. Rethrows so BullMQ retries; a permanent failure becomes an UnrecoverableError.
 */
@Injectable()
export class TrackedJobRunner {
  constructor(
    private readonly timeline: MessageTimeline,
    private readonly replayOutcomes: ReplayOutcomes,
  ) {}

  async run<T>(
    job: Job<TrackedJobData>,
    baseDelayMs: number,
    execute: (report: StepReporter) => Promise<T>,
  ): Promise<T> {
    const attempt = job.attemptsMade + 1;
    const maxAttempts = job.opts.attempts ?? 1;
    const step = (partial: Partial<MessageStep> & { step: string }): MessageStep => ({
      context: job.data.context,
      source: job.data.source,
      action: job.data.action,
      entityId: job.data.entityId,
      externalId: job.data.externalId,
      run: job.data.run,
      attempt,
      totalAttempts: job.data.priorAttempts + attempt,
      at: new Date(),
      ...partial,
    });

    this.timeline.recordInBackground(
      step({ step: 'processing', status: MessageStatus.Processing, payload: job.data.payload }),
      { deferMs: PROCESSING_STEP_DEFER_MS },
    );
    const report: StepReporter = (name, detail) =>
      this.timeline.record(step({ step: name, detail }));
    let result: T;
    try {
      result = await execute(report);
    } catch (error) {
      const stepError = toStepError(error);
      const willRetry = stepError.retryable && attempt < maxAttempts;
      if (willRetry) {
        const nextAttemptAt = new Date(Date.now() + retryDelayMs(attempt, baseDelayMs, error));
        await this.timeline.record(
          step({
            step: 'retrying',
            status: MessageStatus.Retrying,
            error: stepError,
            nextAttemptAt,
          }),
        );
        throw error;
      }
      await this.timeline.record(
        step({ step: 'failed', status: MessageStatus.Failed, error: stepError }),
      );
      await this.replayOutcomes.record(job.data, 'failed');
      throw error instanceof UnrecoverableError ? error : new UnrecoverableError(stepError.message);
    }
    await this.timeline.record(
      step({ step: 'succeeded', status: MessageStatus.Succeeded, result: result ?? null }),
    );
    await this.replayOutcomes.record(job.data, 'succeeded');
    return result;
  }
}

export function toStepError(error: unknown): StepError {
  if (error instanceof RemoteCallError) {
    return {
      code: error.code,
      message: error.message,
      retryable: error.retryable,
      ...(error.httpStatus !== undefined && { httpStatus: error.httpStatus }),
      ...(error.response !== undefined && { response: error.response }),
    };
  }
  if (error instanceof UnrecoverableError) {
    return { code: 'UNRECOVERABLE', message: error.message, retryable: false };
  }
  const code = (error as { code?: unknown })?.code;
  return {
    code: typeof code === 'string' ? code : 'PROCESSING_ERROR',
    message: error instanceof Error ? error.message : String(error),
    retryable: true,
  };
}
