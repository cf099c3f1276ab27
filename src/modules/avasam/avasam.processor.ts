import { Processor } from '@nestjs/bullmq';
import { CommandBus } from '@nestjs/cqrs';
import { Job, UnrecoverableError } from 'bullmq';
import { Env } from '../../config/env';
import { DomainError } from '../../common/errors';
import { DrainingWorkerHost, WORKER_OPTIONS } from '../../common/queue';
import { OrderedJobGate, StalledJobRecorder, TrackedJobData, TrackedJobRunner } from '../events';
import { AvasamQueueService } from './avasam-queue.service';
import { JobProgressCheckpoint } from './apply-notification/apply-checkpoint';
import { ApplyNotificationCommand } from './apply-notification/apply-notification.command';
import { AVASAM_QUEUE } from './avasam-queue';
import { kindOfAction } from './notifications/notification-kinds';
import { parseNotification } from './notifications/parse-notification';

/** Thin: job → ApplyNotificationCommand, with its steps recorded and retries as inbound. */
@Processor(AVASAM_QUEUE, WORKER_OPTIONS)
export class AvasamProcessor extends DrainingWorkerHost {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly runner: TrackedJobRunner,
    private readonly gate: OrderedJobGate,
    private readonly queue: AvasamQueueService,
    private readonly stalled: StalledJobRecorder,
    env: Env,
  ) {
    super(env);
  }

  protected failedWithoutRunning(job: Job<TrackedJobData>, reason: string): Promise<void> {
    return this.stalled.recordFailure(job, reason);
  }

  process(job: Job<TrackedJobData>, token?: string): Promise<unknown> {
    return this.gate.run(job, token, this.queue.unitsOf(job.data), (claim) =>
      this.runner.run(job, this.env.RETRY_BASE_DELAY_MS, (report) => {
        const { action, payload, context } = job.data;
        const kind = kindOfAction(action);
        if (!kind) throw new UnrecoverableError(`Unknown Avasam action ${action}`);
        return this.commandBus.execute(
          new ApplyNotificationCommand(
            context,
            kind,
            revalidate(kind, payload),
            report,
            new JobProgressCheckpoint(job),
            claim,
          ),
        );
      }),
    );
  }
}

/** Queued data skipped the HTTP edge: check it again; a bad payload will never get better. */
function revalidate(kind: Parameters<typeof parseNotification>[0], payload: unknown) {
  try {
    return parseNotification(kind, payload);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const details = error.errors.map((e) => `${e.path}: ${e.message}`).join('; ');
    throw new UnrecoverableError(`Queued notification is invalid: ${details}`);
  }
}
