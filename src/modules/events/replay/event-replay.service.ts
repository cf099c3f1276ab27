import { Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { randomUUID } from 'node:crypto';
import type { Model } from 'mongoose';
import {
  DomainError,
  ErrorCode,
  NotFoundError,
  ServiceUnavailableError,
  ValidationFailedError,
} from '../../../common/errors';
import { FailFastQueue } from '../../../common/queue';
import { Env } from '../../../config/env';
import { IntegrationEvent } from '../integration-event.schema';
import { EventsQueryService } from '../query/events-query.service';
import type { EventsFilterDto } from '../query/events-filter.dto';
import { MessageStatus } from '../timeline/message-step';
import { EventReplay, ReplayStatus } from './event-replay.schema';
import { ReplayOutcomes } from './replay-outcomes';
import { REPLAY_JOB, REPLAY_JOB_ATTEMPTS, REPLAY_QUEUE, ReplayJobData } from './replay-queue';
import { REPLAY_FILTER_FIELDS, ReplayRequestDto } from './replay-request.dto';
import type { ReplayResponse } from './replay.response';

const REPLAY_JOB_RETENTION = { age: 7 * 24 * 3600, count: 1000 };

/** The API side of bulk replays: count, start, read and cancel, always within one account. */
@Injectable()
export class EventReplayService implements OnModuleInit, OnApplicationShutdown {
  private readonly queue: FailFastQueue<ReplayJobData>;

  constructor(
    @InjectModel(EventReplay.name) private readonly replays: Model<EventReplay>,
    @InjectModel(IntegrationEvent.name) private readonly events: Model<IntegrationEvent>,
    private readonly query: EventsQueryService,
    private readonly outcomes: ReplayOutcomes,
    env: Env,
  ) {
    this.queue = new FailFastQueue(REPLAY_QUEUE, env);
  }

  async onModuleInit(): Promise<void> {
    await this.queue.open();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue.close();
  }

  /** `dryRun`: only `{matched}`. Otherwise the replay is stored, then its job queued. */
  async start(
    accountId: string,
    requestedBy: string,
    dto: ReplayRequestDto,
  ): Promise<{ matched: number; replayId?: string }> {
    const startedAt = new Date();
    const target = replayTarget(dto, startedAt);
    const matched = target.messageIds
      ? await this.events.countDocuments({ accountId, _id: { $in: target.messageIds } })
      : await this.query.count(accountId, target.filter);
    if (dto.dryRun) return { matched };
    const replayId = randomUUID();
    await this.replays.create({
      _id: replayId,
      accountId,
      requestedBy,
      status: ReplayStatus.Running,
      ...(target.messageIds ? { messageIds: target.messageIds } : { filter: target.filter }),
      matched,
      queued: 0,
      skipped: 0,
      cursor: null,
      pages: 0,
      exhausted: false,
      startedAt,
      updatedAt: startedAt,
    });
    try {
      await this.queue.add(
        REPLAY_JOB,
        { replayId, accountId },
        {
          jobId: replayId,
          attempts: REPLAY_JOB_ATTEMPTS,
          backoff: { type: 'exponential', delay: 1000 },
          removeOnComplete: REPLAY_JOB_RETENTION,
          removeOnFail: REPLAY_JOB_RETENTION,
        },
      );
    } catch (error) {
      // Nothing will run it: a replay nobody can see progress would stay `running` forever.
      await this.replays.deleteOne({ _id: replayId }).catch(() => undefined);
      throw error;
    }
    return { replayId, matched };
  }

  async get(accountId: string, replayId: string): Promise<ReplayResponse> {
    const replay = await this.replays.findOne({ _id: replayId, accountId }).lean<EventReplay>();
    if (!replay) throw notFound(replayId);
    return this.view(replay);
  }

  /** Stops a running replay: its job sees it between pages. What was queued stays queued. */
  async cancel(accountId: string, replayId: string): Promise<ReplayResponse> {
    const now = new Date();
    const cancelled = await this.replays
      .findOneAndUpdate(
        { _id: replayId, accountId, status: ReplayStatus.Running },
        { $set: { status: ReplayStatus.Cancelled, finishedAt: now, updatedAt: now } },
        { new: true },
      )
      .lean<EventReplay>();
    if (cancelled) return this.view(cancelled);
    const replay = await this.replays.findOne({ _id: replayId, accountId }).lean<EventReplay>();
    if (!replay) throw notFound(replayId);
    throw new DomainError(
      ErrorCode.ReplayNotRunning,
      409,
      `Replay ${replayId} is ${replay.status}; only a running replay can be cancelled.`,
    );
  }

  private async view(replay: EventReplay): Promise<ReplayResponse> {
    const { done, failed } = await this.outcomes.counts(replay._id).catch(() => {
      throw new ServiceUnavailableError(
        ErrorCode.QueueUnavailable,
        "The message queue is unavailable: the replay's outcomes cannot be read.",
      );
    });
    return {
      replayId: replay._id,
      status: replay.status,
      matched: replay.matched,
      queued: replay.queued,
      skipped: replay.skipped,
      done,
      failed,
      startedAt: replay.startedAt.toISOString(),
      finishedAt: replay.finishedAt ? replay.finishedAt.toISOString() : null,
      requestedBy: replay.requestedBy,
      ...(replay.filter && { filter: replay.filter }),
      ...(replay.messageIds && { messageIdCount: replay.messageIds.length }),
      ...(replay.error && { error: replay.error }),
    };
  }
}

/**
 * What a replay walks: the ids, sorted, or the list filter with status `failed` and received
 * before the replay started (an event received later is not part of what the list showed).
 */
function replayTarget(
  dto: ReplayRequestDto,
  startedAt: Date,
): { messageIds?: string[]; filter: EventsFilterDto } {
  const given = REPLAY_FILTER_FIELDS.filter((field) => dto[field] !== undefined);
  if (dto.messageIds) {
    if (given.length) {
      throw new ValidationFailedError([
        {
          path: 'messageIds',
          message: `messageIds cannot be combined with filter fields (${given.join(', ')})`,
        },
      ]);
    }
    return { messageIds: [...dto.messageIds].sort(), filter: {} };
  }
  const filter: EventsFilterDto = { status: MessageStatus.Failed };
  for (const field of given) Object.assign(filter, { [field]: dto[field] });
  filter.to = dto.to && dto.to < startedAt ? dto.to : startedAt;
  return { filter };
}

function notFound(replayId: string): NotFoundError {
  return new NotFoundError(ErrorCode.ReplayNotFound, `Replay ${replayId} was not found.`);
}
