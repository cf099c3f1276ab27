import { Processor, WorkerHost } from '@nestjs/bullmq';
import { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Job, UnrecoverableError } from 'bullmq';
import { Env } from '../../config/env';
import { backoffStrategy } from '../../common/queue';
import { TrackedJobData, TrackedJobRunner } from '../events';
import { INBOUND_ACTIONS, isInboundAction } from './actions/action-registry';
import { validatePayload } from './actions/validate-payload';
import { INBOUND_QUEUE } from './inbound-queue';

/** Thin: job → the action's command on the CommandBus, with its steps recorded. */
@Processor(INBOUND_QUEUE, { settings: { backoffStrategy } })
export class InboundProcessor
  extends WorkerHost
  implements OnApplicationBootstrap, BeforeApplicationShutdown
{
  constructor(
    private readonly commandBus: CommandBus,
    private readonly runner: TrackedJobRunner,
    private readonly env: Env,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.env.WORKER_CONCURRENCY;
  }

  /** Graceful shutdown: take no new jobs and let the active ones finish (and record their steps). */
  async beforeApplicationShutdown(): Promise<void> {
    await this.worker.close();
  }

  process(job: Job<TrackedJobData>): Promise<unknown> {
    return this.runner.run(job, this.env.RETRY_BASE_DELAY_MS, (report) => {
      const { action, payload, context, entityId } = job.data;
      // Queued data skipped the HTTP pipe: check it again before acting on it.
      if (!isInboundAction(action)) throw new UnrecoverableError(`Unknown action ${action}`);
      const errors = validatePayload(action, payload);
      if (errors.length) {
        throw new UnrecoverableError(
          `Queued payload is invalid: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`,
        );
      }
      const Command = INBOUND_ACTIONS[action].command;
      return this.commandBus.execute(new Command(context, payload as never, entityId, report));
    });
  }
}
