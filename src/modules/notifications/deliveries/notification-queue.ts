import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { Queue } from 'bullmq';
import { Counter } from 'prom-client';
import { COMPLETED_JOB_RETENTION, FAILED_JOB_RETENTION } from '../../../common/queue';
import { BACKOFF_TYPE } from '../../../common/remote';
import { Env } from '../../../config/env';
import { MetricsRegistry } from '../../metrics';

export const NOTIFICATIONS_QUEUE = 'notifications';
export const NotificationJob = { Deliver: 'deliver', Retention: 'retention' } as const;

/** How long a step's handler waits on Redis to queue a notification before it gives up. */
export const ENQUEUE_TIMEOUT_MS = 2000;

export interface DeliverJobData {
  /** The webhook-id: the job id and the delivery's id. */
  deliveryId: string;
  accountId: string;
  integrationId: string;
  type: string;
  messageId?: string;
  payload: Record<string, unknown>;
}

/**
 * Queues deliveries on the `notifications` queue, apart from the message queues: a slow or
 * failing receiver never holds a message. Queueing never throws to its caller: an error (Redis
 * unreachable or slower than ENQUEUE_TIMEOUT_MS) is logged and counted
 * (`avvyr_notifications_enqueue_failed_total`), and that notification is not sent.
 */
@Injectable()
export class NotificationQueue {
  private readonly logger = new Logger(NotificationQueue.name);
  private readonly enqueueFailed: Counter;

  constructor(
    @InjectQueue(NOTIFICATIONS_QUEUE) private readonly queue: Queue<DeliverJobData>,
    private readonly env: Env,
    metrics: MetricsRegistry,
  ) {
    this.enqueueFailed = new Counter({
      name: 'avvyr_notifications_enqueue_failed_total',
      help: 'Notifications that could not be queued (Redis unreachable or too slow)',
      registers: [metrics.registry],
    });
  }

  async enqueue(data: DeliverJobData): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.queue.add(NotificationJob.Deliver, data, {
          jobId: data.deliveryId,
          attempts: this.env.NOTIFICATIONS_ATTEMPTS,
          backoff: { type: BACKOFF_TYPE, delay: this.env.NOTIFICATIONS_BACKOFF_MS },
          removeOnComplete: COMPLETED_JOB_RETENTION,
          removeOnFail: FAILED_JOB_RETENTION,
        }),
        new Promise((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`Redis did not answer within ${ENQUEUE_TIMEOUT_MS} ms`)),
            ENQUEUE_TIMEOUT_MS,
          );
        }),
      ]);
      return true;
    } catch (error) {
      this.enqueueFailed.inc();
      this.logger.warn(
        { err: error, deliveryId: data.deliveryId, integrationId: data.integrationId },
        'A notification could not be queued; it will not be sent',
      );
      return false;
    } finally {
      clearTimeout(timer);
    }
  }
}
