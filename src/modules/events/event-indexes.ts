import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { IntegrationEvent, LEGACY_EVENT_INDEXES } from './integration-event.schema';

/**
 * Drops the events indexes earlier versions created: left in place, a planner may still pick
 * one and sort its matches in memory. The new ones are created by Mongoose (autoIndex).
 */
@Injectable()
export class EventIndexes implements OnApplicationBootstrap {
  private readonly logger = new Logger(EventIndexes.name);

  constructor(
    @InjectModel(IntegrationEvent.name) private readonly events: Model<IntegrationEvent>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const existing = await this.events.collection.indexes().catch(() => []);
    for (const { name } of existing) {
      if (!name || !LEGACY_EVENT_INDEXES.includes(name)) continue;
      // Another replica may drop it at the same moment: that is not an error.
      await this.events.collection.dropIndex(name).then(
        () => this.logger.log(`Dropped legacy events index ${name}`),
        () => undefined,
      );
    }
  }
}
