import { Processor } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { DelayedError, Job } from 'bullmq';
import { DrainingWorkerHost, WORKER_OPTIONS } from '../../../common/queue';
import { Env } from '../../../config/env';
import { REPLAY_QUEUE, ReplayJobData } from './replay-queue';
import { ReplayRunner, ReplayRunOutcome } from './replay-runner';

/** Worker role only: runs each bulk replay's job (thin: the runner does the work). */
@Processor(REPLAY_QUEUE, WORKER_OPTIONS)
export class EventReplayProcessor extends DrainingWorkerHost {
  private readonly logger = new Logger(EventReplayProcessor.name);
  private stopping = false;

  constructor(
    private readonly runner: ReplayRunner,
    env: Env,
  ) {
    super(env);
  }

  async process(job: Job<ReplayJobData>, token?: string): Promise<ReplayRunOutcome> {
    try {
      const outcome = await this.runner.run(job.data.replayId, () => this.stopping);
      if (outcome === 'interrupted') {
        // Shutting down between pages: the job goes back to wait for another worker, which
        // resumes from the stored cursor; no attempt is used up.
        await job.moveToDelayed(Date.now(), token);
        throw new DelayedError();
      }
      return outcome;
    } catch (error) {
      if (error instanceof DelayedError) throw error;
      if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) {
        const reason = (error as Error).message;
        this.logger.error({ replayId: job.data.replayId }, `Replay stopped: ${reason}`);
        await this.runner.stop(job.data.replayId, reason);
      }
      throw error;
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await super.beforeApplicationShutdown();
  }
}
