import { Injectable } from '@nestjs/common';
import { CommandBus, EventBus } from '@nestjs/cqrs';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import type { MessageSource } from '../../../common/context';
import { DomainError, ErrorCode } from '../../../common/errors';
import { IntegrationEvent } from '../integration-event.schema';
import { EventsQueryService } from '../query/events-query.service';
import { MessageSources } from '../retry/message-sources';
import { RetryEventCommand } from '../retry/retry-event.command';
import { EventReplay, ReplayStatus } from './event-replay.schema';
import { ReplayPageProcessed } from './replay-page-processed.event';
import { REPLAY_CONCURRENCY, REPLAY_PAGE_SIZE } from './replay-queue';

export type ReplayRunOutcome = ReplayStatus | 'interrupted' | 'missing';
type Position = string | number | null;
type Outcome = 'queued' | 'skipped';

/**
 * Walks one replay's events a page at a time, each through the single-event retry (the one
 * code path of a manual retry, `manual-retry` step naming the replay). State lives in the
 * replay document, so a run cut short (worker killed, shutdown) is resumed by the next one.
 */
@Injectable()
export class ReplayRunner {
  constructor(
    @InjectModel(EventReplay.name) private readonly replays: Model<EventReplay>,
    @InjectModel(IntegrationEvent.name) private readonly events: Model<IntegrationEvent>,
    private readonly query: EventsQueryService,
    private readonly sources: MessageSources,
    private readonly commandBus: CommandBus,
    private readonly eventBus: EventBus,
  ) {}

  /** Runs until the replay is done or cancelled, or `stopping()` holds between pages. */
  async run(replayId: string, stopping: () => boolean): Promise<ReplayRunOutcome> {
    const found = await this.replays.findById(replayId).lean<EventReplay>();
    if (!found) return 'missing';
    let replay: EventReplay = found;
    while (replay.status === ReplayStatus.Running) {
      if (replay.exhausted) return this.finish(replayId);
      if (stopping()) return 'interrupted';
      // A page left pending was being worked on when a run stopped: some of it may be queued.
      const resumed = Boolean(replay.pending?.length);
      const page: { ids: string[]; next: Position } = resumed
        ? { ids: replay.pending ?? [], next: replay.pendingNext ?? null }
        : await this.readPage(replay);
      const pages = replay.pages ?? 0;
      if (!resumed) {
        const marked = await this.replays.updateOne(
          { _id: replayId, status: ReplayStatus.Running, pages },
          { $set: { pending: page.ids, pendingNext: page.next, updatedAt: new Date() } },
        );
        if (!marked.matchedCount) {
          // Cancelled, or another run of this job got there first: go on from what is stored.
          const latest = await this.replays.findById(replayId).lean<EventReplay>();
          if (!latest) return 'missing';
          replay = latest;
          continue;
        }
      }
      const current = replay;
      const outcomes = await inBatches(page.ids, REPLAY_CONCURRENCY, (id) =>
        this.retryOne(current, id, resumed),
      );
      const queued = outcomes.filter((o) => o === 'queued').length;
      const skipped = outcomes.length - queued;
      const updated: EventReplay | null = await this.replays
        .findOneAndUpdate(
          { _id: replayId, pages },
          {
            $inc: { queued, skipped, pages: 1 },
            $set: { cursor: page.next, exhausted: page.next === null, updatedAt: new Date() },
            $unset: { pending: '', pendingNext: '' },
          },
          { new: true },
        )
        .lean<EventReplay>();
      if (updated) {
        this.eventBus.publish(new ReplayPageProcessed(replayId, replay.accountId, queued, skipped));
      }
      const latest = updated ?? (await this.replays.findById(replayId).lean<EventReplay>());
      if (!latest) return 'missing';
      replay = latest;
    }
    return replay.status;
  }

  /** The replay job gave up: the replay says so rather than staying `running`. */
  async stop(replayId: string, reason: string): Promise<void> {
    const now = new Date();
    await this.replays.updateOne(
      { _id: replayId, status: ReplayStatus.Running },
      { $set: { status: ReplayStatus.Stopped, error: reason, finishedAt: now, updatedAt: now } },
    );
  }

  /** The next page's event ids, and where the page after it starts (null: none). */
  private async readPage(replay: EventReplay): Promise<{ ids: string[]; next: Position }> {
    if (replay.messageIds) {
      const start = typeof replay.cursor === 'number' ? replay.cursor : 0;
      const slice = replay.messageIds.slice(start, start + REPLAY_PAGE_SIZE);
      const found = await this.events
        .find({ accountId: replay.accountId, _id: { $in: slice } }, { _id: 1 })
        .lean<{ _id: string }[]>();
      const end = start + REPLAY_PAGE_SIZE;
      return {
        ids: found.map((event) => event._id).sort(),
        next: end < replay.messageIds.length ? end : null,
      };
    }
    const page = await this.query.page(replay.accountId, {
      ...replay.filter,
      limit: REPLAY_PAGE_SIZE,
      ...(typeof replay.cursor === 'string' && { cursor: replay.cursor }),
    });
    return { ids: page.items.map((event) => event.messageId), next: page.nextCursor };
  }

  /**
   * One event through the single-event retry. An event it refuses (no longer failed, deleted)
   * is skipped; on a resumed page, one whose latest run this replay started (its event or its
   * queued job says so) is already queued.
   */
  private async retryOne(
    replay: EventReplay,
    messageId: string,
    resumed: boolean,
  ): Promise<Outcome> {
    if (resumed) {
      const event = await this.events
        .findOne({ _id: messageId, accountId: replay.accountId }, { replayId: 1, source: 1 })
        .lean<{ replayId?: string; source: MessageSource }>();
      if (event?.replayId === replay._id) return 'queued';
      // Requeued just before the run stopped, its step not recorded yet: the job tells.
      const job = event && (await this.sources.get(event.source)?.peek(messageId));
      if (job?.replayId === replay._id) return 'queued';
    }
    try {
      await this.commandBus.execute(
        new RetryEventCommand(replay.accountId, messageId, replay.requestedBy, replay._id),
      );
      return 'queued';
    } catch (error) {
      if (
        error instanceof DomainError &&
        (error.code === ErrorCode.EventNotRetryable || error.code === ErrorCode.EventNotFound)
      ) {
        return 'skipped';
      }
      throw error;
    }
  }

  private async finish(replayId: string): Promise<ReplayRunOutcome> {
    const now = new Date();
    await this.replays.updateOne(
      { _id: replayId, status: ReplayStatus.Running },
      { $set: { status: ReplayStatus.Done, finishedAt: now, updatedAt: now } },
    );
    return this.statusOf(replayId);
  }

  private async statusOf(replayId: string): Promise<ReplayRunOutcome> {
    const replay = await this.replays.findById(replayId, { status: 1 }).lean<EventReplay>();
    return replay?.status ?? 'missing';
  }
}

/** `work` on every item, `size` at a time, results in order. */
async function inBatches<T, R>(items: T[], size: number, work: (item: T) => Promise<R>) {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += size) {
    results.push(...(await Promise.all(items.slice(i, i + size).map(work))));
  }
  return results;
}
