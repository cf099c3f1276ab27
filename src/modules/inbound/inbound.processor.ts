import { Processor } from '@nestjs/bullmq';
import { CommandBus } from '@nestjs/cqrs';
import { Job, UnrecoverableError } from 'bullmq';
import { Env } from '../../config/env';
import { DrainingWorkerHost, WORKER_OPTIONS } from '../../common/queue';
import {
  OrderedJobGate,
  StalledJobRecorder,
  StepReporter,
  TrackedJobData,
  TrackedJobRunner,
} from '../events';
import type { EntityClaim } from '../ordering';
import { ACTION_ORDERING } from './actions/action-ordering';
import { INBOUND_ACTIONS, InboundAction, isInboundAction } from './actions/action-registry';
import { validatePayload } from './actions/validate-payload';
import { InboundQueueService } from './inbound-queue.service';
import { INBOUND_QUEUE } from './inbound-queue';
import { reportSuperseded } from './report-superseded';

/**
 * Thin: job → the action's command on the CommandBus, with its steps recorded, in its entity
 * keys' order: values a newer message already applied are left out (README "Ordering").
 */
@Processor(INBOUND_QUEUE, WORKER_OPTIONS)
export class InboundProcessor extends DrainingWorkerHost {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly runner: TrackedJobRunner,
    private readonly gate: OrderedJobGate,
    private readonly queue: InboundQueueService,
    private readonly stalled: StalledJobRecorder,
    env: Env,
  ) {
    super(env);
  }

  protected failedWithoutRunning(job: Job<TrackedJobData>, reason: string): Promise<void> {
    return this.stalled.recordFailure(job, reason);
  }

  process(job: Job<TrackedJobData>, token?: string): Promise<unknown> {
    const { action, payload } = job.data;
    // Queued data skipped the HTTP pipe: check it again before acting on it.
    const invalid = !isInboundAction(action)
      ? `Unknown action ${action}`
      : validatePayload(action, payload)
          .map((e) => `${e.path}: ${e.message}`)
          .join('; ');
    if (invalid) {
      return this.runner.run(job, this.env.RETRY_BASE_DELAY_MS, () => {
        throw new UnrecoverableError(
          isInboundAction(action) ? `Queued payload is invalid: ${invalid}` : invalid,
        );
      });
    }
    return this.gate.run(job, token, this.queue.unitsOf(job.data), (claim) =>
      this.runner.run(job, this.env.RETRY_BASE_DELAY_MS, (report) =>
        this.apply(job.data, action as InboundAction, claim, report),
      ),
    );
  }

  private async apply(
    data: TrackedJobData,
    action: InboundAction,
    claim: EntityClaim | undefined,
    report: StepReporter,
  ): Promise<unknown> {
    const payload = data.payload as Record<string, unknown>;
    const fresh = claim
      ? ACTION_ORDERING[action].rebuild(payload, (unit, field) => claim.keeps(unit, field))
      : payload;
    if (claim?.superseded.length) await reportSuperseded(claim, report);
    if (!fresh) {
      await claim?.commit();
      return { superseded: true, applied: 0 };
    }
    const Command = INBOUND_ACTIONS[action].command;
    const result: unknown = await this.commandBus.execute(
      new Command(data.context, fresh as never, data.entityId, report),
    );
    // Watermarks move and the keys are released as soon as the backend has applied it.
    await claim?.commit();
    return result;
  }
}
