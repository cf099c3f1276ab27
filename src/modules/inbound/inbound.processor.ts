import { Processor } from '@nestjs/bullmq';
import { CommandBus } from '@nestjs/cqrs';
import { Job, UnrecoverableError } from 'bullmq';
import { Env } from '../../config/env';
import { DrainingWorkerHost, WORKER_OPTIONS } from '../../common/queue';
import { StalledJobRecorder, TrackedJobData, TrackedJobRunner } from '../events';
import { INBOUND_ACTIONS, isInboundAction } from './actions/action-registry';
import { validatePayload } from './actions/validate-payload';
import { INBOUND_QUEUE } from './inbound-queue';

/** Thin: job → the action's command on the CommandBus, with its steps recorded. */
@Processor(INBOUND_QUEUE, WORKER_OPTIONS)
export class InboundProcessor extends DrainingWorkerHost {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly runner: TrackedJobRunner,
    private readonly stalled: StalledJobRecorder,
    env: Env,
  ) {
    super(env);
  }

  protected failedWithoutRunning(job: Job<TrackedJobData>, reason: string): Promise<void> {
    return this.stalled.recordFailure(job, reason);
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
