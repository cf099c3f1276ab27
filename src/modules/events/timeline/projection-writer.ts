import {
  BeforeApplicationShutdown,
  Injectable,
  Logger,
  OnApplicationShutdown,
} from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model, mongo } from 'mongoose';
import { bulkWriteErrors, isStoreUnavailable } from '../../../common/errors';
import { EventSku, eventSkuRows } from '../event-sku.schema';
import { IntegrationEvent } from '../integration-event.schema';
import {
  EventPatch,
  forwardUpdate,
  healingWrites,
  mergePatches,
  patchToNewEvent,
  stepToPatch,
} from './event-patch';
import type { MessageStep } from './message-step';

/**
 * Most update statements in one bulkWrite. FerretDB v1 (the local store) keeps one SQLite
 * connection open per update statement until the whole command ends, out of 100 per database:
 * a bulkWrite of 101 updates wedges that database for good. Three lanes of 32 stay below it;
 * on MongoDB 32 statements per round trip still amortise it.
 */
const MAX_BATCH = 32;
/** Batches written at once. A message always uses the same lane, so its steps stay in order. */
const LANES = 3;
const DUPLICATE_KEY = 11000;
/**
 * While the store cannot be reached, a batch is written again after this delay, doubling up to
 * the maximum: the steps wait in memory (bounded: the API sheds `received` steps beyond
 * SHED_RECEIVED_ABOVE_BACKLOG, and a worker awaits its jobs' outcome steps, so at most about two
 * steps per job it runs) and land once the store is back.
 */
const STORE_RETRY_FIRST_MS = 100;
const STORE_RETRY_MAX_MS = 2000;
/** At shutdown, how long writes still wait for an unreachable store before they are given up. */
const SHUTDOWN_STORE_WAIT_MS = 5000;
/** Beyond this many unwritten steps, a write the store cannot take fails instead of waiting. */
const MAX_WAITING_STEPS = 20_000;
/** Lingering steps are written at once when this many are held: a full batch in every lane. */
const MAX_LINGERING = LANES * MAX_BATCH;

interface Pending {
  patch: EventPatch;
  /** The message's first step: its event most likely does not exist yet. */
  first: boolean;
  done: (error?: unknown) => void;
  settled: boolean;
}

/** The pending steps of one message within a batch, merged into one patch. */
interface MessageWrite {
  patch: EventPatch;
  first: boolean;
  members: Pending[];
}

export interface WriteOptions {
  /** The message's first step, offered as an insert. */
  first?: boolean;
  /**
   * Hold the step this long (ms) in case a later step of its message comes to share its write;
   * for steps nobody waits on, like `processing` before a call that usually returns quickly.
   */
  deferMs?: number;
  /**
   * Hold the step with the other lingering steps until the first of them has waited this long
   * (ms), then hand them all to their lanes at once; for steps nobody waits on (`received`). At
   * moderate rates a lane's write finishes before the next step arrives, so without it every
   * message pays its own round trips and its own commit.
   */
  lingerMs?: number;
}

/**
 * One sequence of batches: each batch is written once the one before it is, and holds every step
 * that arrived while that one was being written (group commit). An idle lane writes a step at the
 * next turn; a busy one writes many per round trip, and the local store commits a bulkWrite's
 * updates together (scripts/ferretdb/batched-updates.patch).
 */
class Lane {
  private queue: Pending[] = [];
  private scheduled = false;
  private running: Promise<void> | undefined;

  constructor(private readonly apply: (writes: MessageWrite[]) => Promise<void>) {}

  push(pending: Pending): void {
    this.queue.push(pending);
    if (!this.running) this.schedule();
  }

  async drain(): Promise<void> {
    while (this.queue.length || this.running) await (this.running ?? this.run());
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => void this.run());
  }

  private run(): Promise<void> {
    this.scheduled = false;
    this.running ??= this.writeAll().finally(() => {
      this.running = undefined;
      // A step pushed after the loop's last look, before this ran, is still waiting.
      if (this.queue.length) this.schedule();
    });
    return this.running;
  }

  private async writeAll(): Promise<void> {
    while (this.queue.length) {
      const writes = byMessage(this.queue.splice(0, this.queue.length));
      // apply() settles every step itself; should it ever throw, its steps fail rather than
      // hang and the lane goes on with the next batch.
      await this.apply(writes).catch((error: unknown) => writes.forEach((w) => settle(w, error)));
    }
  }
}

/**
 * Groups the projection writes of concurrent steps into batches, so a busy worker pays one round
 * trip for many steps; steps of one message in the same batch become one write. Callers await
 * their own steps.
 */
@Injectable()
export class ProjectionWriter implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger(ProjectionWriter.name);
  private readonly lanes = Array.from(
    { length: LANES },
    () => new Lane((w) => this.applyWhenReachable(w)),
  );
  /** Once shutting down: until when writes may still wait for an unreachable store. */
  private waitForStoreUntil = Infinity;
  /** Logged once per outage. */
  private waitingForStore = false;
  /**
   * Deferred steps by messageId, in the order recorded, with the timer that releases them. A
   * message's steps held when a deferred one arrives (its lingering `received`, an earlier
   * deferred step) stay held with it, so that a message picked up and processed within the
   * deferral writes its whole event once.
   */
  private readonly deferred = new Map<string, { pendings: Pending[]; timer: NodeJS.Timeout }>();
  /** Lingering steps by messageId, released together by one timer. */
  private readonly lingering = new Map<string, Pending>();
  private lingerTimer?: NodeJS.Timeout;
  /** Steps handed to write() whose write has not finished yet (held, queued or being applied). */
  private unwritten = 0;
  /**
   * Event documents written since start, by how: `insert` (a new event, written whole with every
   * step it had by then) or `update` (a write to an event already there). A message processed
   * soon after it was accepted costs one insert; each later write of its event, one update.
   */
  readonly written = { insert: 0, update: 0 };

  constructor(
    @InjectModel(IntegrationEvent.name) private readonly events: Model<IntegrationEvent>,
    @InjectModel(EventSku.name) private readonly skus: Model<EventSku>,
  ) {}

  write(
    step: MessageStep,
    { first = false, deferMs = 0, lingerMs = 0 }: WriteOptions = {},
  ): Promise<void> {
    this.unwritten++;
    return new Promise((resolve, reject) => {
      const pending: Pending = {
        patch: stepToPatch(step),
        first,
        settled: false,
        done: (error) => {
          if (pending.settled) return;
          pending.settled = true;
          this.unwritten--;
          if (error) {
            reject(error instanceof Error ? error : new Error('Unknown error', { cause: error }));
          } else {
            resolve();
          }
        },
      };
      const messageId = pending.patch.messageId;
      if (deferMs > 0) {
        const pendings = [...this.unhold(messageId), pending];
        const timer = setTimeout(() => this.release(messageId), deferMs);
        this.deferred.set(messageId, { pendings, timer });
        return;
      }
      this.release(messageId);
      if (lingerMs > 0) {
        this.linger(messageId, pending, lingerMs);
      } else {
        this.laneOf(messageId).push(pending);
      }
    });
  }

  /** How many steps are waiting for their write: grows when the store falls behind. */
  get backlog(): number {
    return this.unwritten;
  }

  /** Workers drain first (their terminal steps are awaited); what is left is flushed here. */
  async beforeApplicationShutdown(): Promise<void> {
    this.waitForStoreUntil = Math.min(this.waitForStoreUntil, Date.now() + SHUTDOWN_STORE_WAIT_MS);
    await this.drain();
  }

  /** Steps recorded by requests still in flight while HTTP was closing. */
  async onApplicationShutdown(): Promise<void> {
    await this.drain();
  }

  /**
   * Writes a batch; while the store cannot be reached, writes what is left of it again and again
   * (backing off) until it can. Every write is safe to repeat. Any other failure settles the
   * steps with it, as does an outage at shutdown past SHUTDOWN_STORE_WAIT_MS, or one with more
   * than MAX_WAITING_STEPS steps waiting.
   */
  private async applyWhenReachable(writes: MessageWrite[]): Promise<void> {
    for (let delay = STORE_RETRY_FIRST_MS; ; delay = Math.min(delay * 2, STORE_RETRY_MAX_MS)) {
      const left = writes.filter((w) => w.members.some((m) => !m.settled));
      if (!left.length) break;
      try {
        await this.apply(left);
        break;
      } catch (error) {
        const wait =
          isStoreUnavailable(error) &&
          Date.now() + delay < this.waitForStoreUntil &&
          this.unwritten <= MAX_WAITING_STEPS;
        if (!wait) {
          this.logger.warn({ err: error }, 'Projection write failed; it heals at the next step');
          throw error;
        }
        if (!this.waitingForStore) {
          this.waitingForStore = true;
          this.logger.warn(
            { err: error, backlog: this.unwritten },
            'The document store is unreachable; event projections wait until it is back',
          );
        }
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
    if (this.waitingForStore) {
      this.waitingForStore = false;
      this.logger.log('The document store is back; waiting event projections are written');
    }
  }

  private async drain(): Promise<void> {
    this.releaseLingering();
    [...this.deferred.keys()].forEach((messageId) => this.release(messageId));
    await Promise.all(this.lanes.map((lane) => lane.drain()));
  }

  private linger(messageId: string, pending: Pending, lingerMs: number): void {
    this.lingering.set(messageId, pending);
    if (this.lingering.size >= MAX_LINGERING) this.releaseLingering();
    else this.lingerTimer ??= setTimeout(() => this.releaseLingering(), lingerMs);
  }

  /** Hands every lingering step to its lane in the same turn, so each lane writes them as one. */
  private releaseLingering(): void {
    clearTimeout(this.lingerTimer);
    this.lingerTimer = undefined;
    const held = [...this.lingering];
    this.lingering.clear();
    for (const [messageId, pending] of held) this.laneOf(messageId).push(pending);
  }

  /**
   * Queues a message's held step (deferred or lingering), if it has one, ahead of anything
   * recorded after it.
   */
  private release(messageId: string): void {
    const lane = this.laneOf(messageId);
    for (const pending of this.unhold(messageId)) lane.push(pending);
  }

  /** Takes a message's held steps (lingering, then deferred: the order they were recorded in). */
  private unhold(messageId: string): Pending[] {
    const pendings: Pending[] = [];
    const lingering = this.lingering.get(messageId);
    if (lingering) {
      this.lingering.delete(messageId);
      pendings.push(lingering);
    }
    const held = this.deferred.get(messageId);
    if (held) {
      clearTimeout(held.timer);
      this.deferred.delete(messageId);
      pendings.push(...held.pendings);
    }
    return pendings;
  }

  private laneOf(messageId: string): Lane {
    let hash = 0;
    for (let i = 0; i < messageId.length; i++) hash = (hash * 31 + messageId.charCodeAt(i)) | 0;
    return this.lanes[Math.abs(hash) % LANES];
  }

  private async apply(writes: MessageWrite[]): Promise<void> {
    // New events first, so nothing else in the batch has to create them; their SKU rows before
    // them, so an event never exists without its SKUs (a failure here fails the whole batch).
    const first = writes.filter((w) => w.first);
    await this.recordSkus(first.map((w) => w.patch));
    const existing = await this.insertNew(first);
    await this.update([...existing, ...writes.filter((w) => !w.first)]);
  }

  /**
   * First steps as one unordered insertMany: a single cheap write for many messages. Those whose
   * event already exists (a later step got there first) are returned to be written as updates.
   */
  private async insertNew(writes: MessageWrite[]): Promise<MessageWrite[]> {
    if (!writes.length) return [];
    try {
      // The driver's collection skips Mongoose's casting: the events are already in stored form.
      const collection = this.events.collection as unknown as mongo.Collection<IntegrationEvent>;
      await collection.insertMany(
        writes.map((w) => patchToNewEvent(w.patch)),
        { ordered: false },
      );
      writes.forEach((w) => settle(w));
      this.written.insert += writes.length;
      return [];
    } catch (error) {
      if (isStoreUnavailable(error)) throw error;
      const failed = failedIndexes(error);
      writes.forEach((w, i) => failed && !failed.has(i) && settle(w));
      if (failed) this.written.insert += writes.length - failed.size;
      return failed ? writes.filter((_, i) => failed.has(i)) : writes;
    }
  }

  /**
   * Status-bearing patches go as forward-only point updates. If fewer matched than were sent
   * (an event missing, or already further on), the chunk is written again with the healing
   * writes, which are safe to repeat on the ones that did apply.
   */
  private async update(writes: MessageWrite[]): Promise<void> {
    for (let i = 0; i < writes.length; i += MAX_BATCH / 2) {
      const chunk = writes.slice(i, i + MAX_BATCH / 2);
      try {
        const forward = chunk.flatMap(({ patch }) =>
          patch.status ? [forwardUpdate(patch, patch.status)] : [],
        );
        const allForwarded =
          !forward.length ||
          (await this.events.bulkWrite(forward, { ordered: true })).matchedCount === forward.length;
        const needHealing = allForwarded ? chunk.filter((w) => !w.patch.status) : chunk;
        if (needHealing.length) {
          // A missing event is created here: its SKU rows first, as for inserts.
          await this.recordSkus(needHealing.filter((w) => !w.first).map((w) => w.patch));
          await this.events.bulkWrite(
            needHealing.flatMap((w) => healingWrites(w.patch)),
            { ordered: true },
          );
        }
        chunk.forEach((w) => settle(w));
        this.written.update += chunk.length;
      } catch (error) {
        // The store is gone: the caller writes what is not settled yet again once it is back.
        if (isStoreUnavailable(error)) throw error;
        // Rare: an upsert raced another replica's. Apply one message at a time, retrying once.
        for (const write of chunk) {
          try {
            await this.writeOne(write.patch);
            settle(write);
            this.written.update++;
          } catch (error) {
            if (isStoreUnavailable(error)) throw error;
            this.logger.warn({ err: error }, 'Projection write failed; it heals at the next step');
            settle(write, error);
          }
        }
      }
    }
  }

  /**
   * The SKU rows of the events these patches may create (patches carrying the payload), written
   * before the event. Rows already there are duplicates of the same `_id` and are skipped.
   */
  private async recordSkus(patches: EventPatch[]): Promise<void> {
    const rows = patches.flatMap((patch) =>
      eventSkuRows(patch.identity as Parameters<typeof eventSkuRows>[0]),
    );
    if (!rows.length) return;
    const collection = this.skus.collection as unknown as mongo.Collection<EventSku>;
    try {
      await collection.insertMany(rows, { ordered: false });
    } catch (error) {
      const codes = writeErrorCodes(error);
      if (!codes || codes.some((code) => code !== DUPLICATE_KEY)) throw error;
    }
  }

  private async writeOne(patch: EventPatch): Promise<void> {
    await this.recordSkus([patch]);
    try {
      await this.events.bulkWrite(healingWrites(patch), { ordered: true });
    } catch (error) {
      if ((error as { code?: number }).code !== DUPLICATE_KEY) throw error;
      await this.events.bulkWrite(healingWrites(patch), { ordered: true });
    }
  }
}

/** Merges the steps of each message, in the order recorded; messages keep their first position. */
function byMessage(batch: Pending[]): MessageWrite[] {
  const writes = new Map<string, MessageWrite>();
  for (const pending of batch) {
    const write = writes.get(pending.patch.messageId);
    if (write) {
      write.patch = mergePatches(write.patch, pending.patch);
      write.members.push(pending);
    } else {
      writes.set(pending.patch.messageId, {
        patch: pending.patch,
        first: pending.first,
        members: [pending],
      });
    }
  }
  return [...writes.values()];
}

function settle(write: MessageWrite, error?: unknown): void {
  write.members.forEach((member) => member.done(error));
}

/** The documents an unordered insertMany refused, or undefined when it cannot tell. */
function failedIndexes(error: unknown): Set<number> | undefined {
  const list = bulkWriteErrors<{ index: number }>(error);
  return list && new Set(list.map((e) => e.index));
}

/** The codes of a bulk write's per-document errors, or undefined when it is another error. */
function writeErrorCodes(error: unknown): number[] | undefined {
  const list = bulkWriteErrors<{ code: number }>(error);
  if (!list) {
    const code = (error as { code?: unknown }).code;
    return code === DUPLICATE_KEY ? [DUPLICATE_KEY] : undefined;
  }
  return list.map((e) => e.code);
}
