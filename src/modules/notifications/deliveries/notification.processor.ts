import { InjectQueue, Processor } from '@nestjs/bullmq';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Job, Queue, UnrecoverableError } from 'bullmq';
import { Env } from '../../../config/env';
import { DrainingWorkerHost, WORKER_OPTIONS } from '../../../common/queue';
import { RemoteCallError, retryDelayMs } from '../../../common/remote';
import { DeliveriesService } from './deliveries.service';
import { DeliverJobData, NOTIFICATIONS_QUEUE, NotificationJob } from './notification-queue';

const EVERY_HOUR_MS = 60 * 60 * 1000;

/**
 * Worker role: sends each queued delivery, one attempt per run of the job. A failed attempt
 * throws, so BullMQ retries it after the backoff (NOTIFICATIONS_BACKOFF_MS, doubling, never
 * sooner than a Retry-After) up to NOTIFICATIONS_ATTEMPTS; the last one leaves it `failed`.
 */
@Processor(NOTIFICATIONS_QUEUE, WORKER_OPTIONS)
export class NotificationProcessor extends DrainingWorkerHost {
  private readonly logger = new Logger(NotificationProcessor.name);

  constructor(
    private readonly deliveries: DeliveriesService,
    env: Env,
  ) {
    super(env);
  }

  async process(job: Job<DeliverJobData>): Promise<unknown> {
    if (job.name === NotificationJob.Retention) return this.retention();
    const attempt = job.attemptsMade + 1;
    const maxAttempts = job.opts.attempts ?? 1;
    const base = this.env.NOTIFICATIONS_BACKOFF_MS;
    const result = await this.deliveries.attempt(job.data, attempt, maxAttempts, (outcome) => {
      const error = new RemoteCallError('', '', true, undefined, undefined, outcome.retryAfterMs);
      return new Date(Date.now() + retryDelayMs(attempt, base, error));
    });
    if (!result.sent) throw new UnrecoverableError('notifications were turned off');
    if (result.ok) return { status: result.response.status };
    const { status, error } = result.response;
    throw new RemoteCallError(
      status ? `NOTIFICATION_HTTP_${status}` : 'NOTIFICATION_UNREACHABLE',
      status ? `The receiver answered ${status}` : (error ?? 'no answer'),
      true,
      status,
      undefined,
      result.retryAfterMs,
    );
  }

  protected override async failedWithoutRunning(job: Job, reason: string): Promise<void> {
    if (job.name !== NotificationJob.Deliver) return;
    const data = job.data as DeliverJobData;
    await this.deliveries.markFailed(data, job.attemptsMade, job.opts.attempts ?? 1, reason);
  }

  /** Deliveries are kept as long as events (EVENT_RETENTION_DAYS). */
  private async retention(): Promise<{ deleted: number }> {
    const cutoff = new Date(Date.now() - this.env.EVENT_RETENTION_DAYS * 24 * 3600 * 1000);
    const deleted = await this.deliveries.deleteOlderThan(cutoff);
    this.logger.log(`Notification retention deleted ${deleted} deliveries`);
    return { deleted };
  }
}

/** One hourly retention job for all replicas (a BullMQ job scheduler, as event retention). */
@Injectable()
export class NotificationRetentionScheduler implements OnApplicationBootstrap {
  constructor(@InjectQueue(NOTIFICATIONS_QUEUE) private readonly queue: Queue) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.upsertJobScheduler(
      'notification-retention',
      { every: EVERY_HOUR_MS },
      { name: NotificationJob.Retention, opts: { removeOnComplete: 100, removeOnFail: 100 } },
    );
  }
}
