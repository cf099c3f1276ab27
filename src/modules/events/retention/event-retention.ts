import { InjectQueue, Processor } from '@nestjs/bullmq';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Queue } from 'bullmq';
import { Model } from 'mongoose';
import { Env } from '../../../config/env';
import { DrainingWorkerHost, WORKER_OPTIONS } from '../../../common/queue';
import { deleteInBatches } from '../../../common/store';
import { EventSku } from '../event-sku.schema';
import { IntegrationEvent } from '../integration-event.schema';

export const MAINTENANCE_QUEUE = 'maintenance';
const RETENTION_SCHEDULER = 'event-retention';
const EVERY_HOUR_MS = 60 * 60 * 1000;

/**
 * Deletes events older than EVENT_RETENTION_DAYS. The document store has no TTL indexes here
 * (FerretDB), so retention is a BullMQ job scheduler: one schedule shared by all replicas.
 */
@Injectable()
export class EventRetentionScheduler implements OnApplicationBootstrap {
  constructor(@InjectQueue(MAINTENANCE_QUEUE) private readonly queue: Queue) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.upsertJobScheduler(
      RETENTION_SCHEDULER,
      { every: EVERY_HOUR_MS },
      { name: RETENTION_SCHEDULER, opts: { removeOnComplete: 100, removeOnFail: 100 } },
    );
  }
}

@Processor(MAINTENANCE_QUEUE, WORKER_OPTIONS)
export class EventRetentionProcessor extends DrainingWorkerHost {
  private readonly logger = new Logger(EventRetentionProcessor.name);

  constructor(
    @InjectModel(IntegrationEvent.name) private readonly events: Model<IntegrationEvent>,
    @InjectModel(EventSku.name) private readonly skus: Model<EventSku>,
    env: Env,
  ) {
    super(env);
  }

  async process(): Promise<{ deleted: number }> {
    const cutoff = new Date(Date.now() - this.env.EVENT_RETENTION_DAYS * 24 * 3600 * 1000);
    const expired = { receivedAt: { $lt: cutoff } };
    const deletedCount = await deleteInBatches(this.events.collection, expired);
    // An event and its SKU rows share receivedAt: the same cutoff removes both.
    await deleteInBatches(this.skus.collection, expired);
    this.logger.log(
      `Event retention deleted ${deletedCount} events received before ${cutoff.toISOString()}`,
    );
    return { deleted: deletedCount };
  }
}
