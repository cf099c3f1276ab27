import {
  BeforeApplicationShutdown,
  Injectable,
  Logger,
  OnApplicationShutdown,
} from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { AnyBulkWriteOperation, Model, mongo } from 'mongoose';
import { IntegrationEvent } from '../integration-event.schema';

/**
 * Most update statements in one bulkWrite. FerretDB v1 (the local store) keeps one SQLite
 * connection open per update statement until the whole command ends, out of 100 per database:
 * a bulkWrite of 101 updates wedges that database for good. 32 leaves room for three writers
 * at once; on MongoDB 32 statements per round trip still amortise it.
 */
const MAX_BATCH = 32;
const DUPLICATE_KEY = 11000;

interface Pending {
  writes: AnyBulkWriteOperation<IntegrationEvent>[];
  /** The event to insert when this is the message's first step; `writes` if it already exists. */
  newEvent?: IntegrationEvent;
  done: (error?: unknown) => void;
}

/**
 * Groups the projection writes of concurrent steps into one ordered bulkWrite per tick, so a
 * busy worker pays one round trip for many steps. Callers await their own writes.
 */
@Injectable()
export class ProjectionWriter implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger(ProjectionWriter.name);
  private queue: Pending[] = [];
  private scheduled = false;
  /** Steps handed to write() whose write has not finished yet (queued or being applied). */
  private unwritten = 0;
  private inFlight = Promise.resolve();

  constructor(
    @InjectModel(IntegrationEvent.name) private readonly events: Model<IntegrationEvent>,
  ) {}

  write(
    writes: AnyBulkWriteOperation<IntegrationEvent>[],
    newEvent?: IntegrationEvent,
  ): Promise<void> {
    this.unwritten++;
    return new Promise((resolve, reject) => {
      this.queue.push({
        writes,
        newEvent,
        done: (error) => {
          this.unwritten--;
          if (error) {
            reject(error instanceof Error ? error : new Error('Unknown error', { cause: error }));
          } else {
            resolve();
          }
        },
      });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  /** How many steps are waiting for their write: grows when the store falls behind. */
  get backlog(): number {
    return this.unwritten;
  }

  /** Workers drain first (their terminal steps are awaited); what is left is flushed here. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.drain();
  }

  /** Steps recorded by requests still in flight while HTTP was closing. */
  async onApplicationShutdown(): Promise<void> {
    await this.drain();
  }

  private async drain(): Promise<void> {
    while (this.queue.length || this.scheduled) await this.flush();
    await this.inFlight;
  }

  private flush(): Promise<void> {
    this.scheduled = false;
    const batch = this.queue.splice(0, this.queue.length);
    if (!batch.length) return this.inFlight;
    // Batches run one after another so a message's steps are applied in the order recorded.
    this.inFlight = this.inFlight.then(() => this.apply(batch));
    return this.inFlight;
  }

  private async apply(batch: Pending[]): Promise<void> {
    // First steps before the rest: a message's later steps in this batch find its event.
    const existing = await this.insertNew(batch.filter((p) => p.newEvent));
    await this.update([...existing, ...batch.filter((p) => !p.newEvent)]);
  }

  /**
   * First steps as one unordered insertMany: a single cheap write for many messages (on the
   * local FerretDB an update costs a scan, an insert does not). Those whose event already
   * exists (a later step got there first) are returned to go through their update writes.
   */
  private async insertNew(pending: Pending[]): Promise<Pending[]> {
    if (!pending.length) return [];
    try {
      // The driver's collection skips Mongoose's casting: the events are already in stored form.
      const collection = this.events.collection as unknown as mongo.Collection<IntegrationEvent>;
      await collection.insertMany(
        pending.map((p) => ({ ...p.newEvent! })),
        { ordered: false },
      );
      pending.forEach((p) => p.done());
      return [];
    } catch (error) {
      const failed = failedIndexes(error);
      pending.forEach((p, i) => failed && !failed.has(i) && p.done());
      return failed ? pending.filter((_, i) => failed.has(i)) : pending;
    }
  }

  private async update(batch: Pending[]): Promise<void> {
    for (let i = 0; i < batch.length;) {
      const chunk: Pending[] = [];
      let size = 0;
      while (i < batch.length && (size === 0 || size + batch[i].writes.length <= MAX_BATCH)) {
        size += batch[i].writes.length;
        chunk.push(batch[i++]);
      }
      try {
        await this.events.bulkWrite(
          chunk.flatMap((p) => p.writes),
          { ordered: true },
        );
        chunk.forEach((p) => p.done());
      } catch {
        // Rare: an upsert raced another replica's. Apply one step at a time, retrying once.
        for (const pending of chunk) {
          try {
            await this.writeOne(pending.writes);
            pending.done();
          } catch (error) {
            this.logger.warn({ err: error }, 'Projection write failed; it heals at the next step');
            pending.done(error);
          }
        }
      }
    }
  }

  private async writeOne(writes: AnyBulkWriteOperation<IntegrationEvent>[]): Promise<void> {
    try {
      await this.events.bulkWrite(writes, { ordered: true });
    } catch (error) {
      if ((error as { code?: number }).code !== DUPLICATE_KEY) throw error;
      await this.events.bulkWrite(writes, { ordered: true });
    }
  }
}

/** The documents an unordered insertMany refused, or undefined when it cannot tell. */
function failedIndexes(error: unknown): Set<number> | undefined {
  const writeErrors = (error as { writeErrors?: unknown }).writeErrors;
  if (!writeErrors) return undefined;
  const list = (Array.isArray(writeErrors) ? writeErrors : [writeErrors]) as { index: number }[];
  return new Set(list.map((e) => e.index));
}
