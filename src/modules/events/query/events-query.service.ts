import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { FilterQuery, Model } from 'mongoose';
import { ErrorCode, NotFoundError } from '../../../common/errors';
import { IntegrationEvent } from '../integration-event.schema';
import { MessageSources } from '../retry/message-sources';
import { MessageStatus } from '../timeline/message-step';
import { decodeCursor, encodeCursor } from './cursor';
import type { EventsFilterDto } from './events-filter.dto';
import { StatusCounts, StatusCountsSource } from './status-counts';

export type EventView = Omit<IntegrationEvent, '_id' | 'statusRank'>;

const LIST_PROJECTION = { _id: 0, statusRank: 0, payload: 0, timeline: 0 } as const;
const DETAIL_PROJECTION = { _id: 0, statusRank: 0 } as const;
/** The list's counts cover the last day unless the filter says otherwise, and 7 days at most. */
const DEFAULT_COUNTS_MS = 24 * 3600_000;
const MAX_COUNTS_MS = 7 * 24 * 3600_000;

/** Reads of the IntegrationEvent model, always within one account. */
@Injectable()
export class EventsQueryService {
  constructor(
    @InjectModel(IntegrationEvent.name) private readonly events: Model<IntegrationEvent>,
    private readonly sources: MessageSources,
    private readonly counts: StatusCountsSource,
  ) {}

  async filter(accountId: string, dto: EventsFilterDto) {
    const limit = dto.limit ?? 50;
    const query: FilterQuery<IntegrationEvent> = { accountId };
    if (dto.integrationId) query.integrationId = dto.integrationId;
    if (dto.status) query.status = dto.status;
    if (dto.action) query.action = dto.action;
    if (dto.entityId) query.entityId = dto.entityId;
    if (dto.source) query.source = dto.source;
    if (dto.errorCode) query['lastError.code'] = dto.errorCode;
    const receivedAt: Record<string, Date> = {};
    if (dto.from) receivedAt.$gte = dto.from;
    if (dto.to) receivedAt.$lt = dto.to;
    if (Object.keys(receivedAt).length) query.receivedAt = receivedAt;
    if (dto.cursor) {
      const cursor = decodeCursor(dto.cursor);
      query.$or = [
        { receivedAt: { $lt: cursor.receivedAt } },
        { receivedAt: cursor.receivedAt, messageId: { $lt: cursor.messageId } },
      ];
    }
    const [docs, counts] = await Promise.all([
      this.events
        .find(query, LIST_PROJECTION)
        .sort({ receivedAt: -1, messageId: -1 })
        .limit(limit + 1)
        .lean<EventView[]>(),
      this.countByStatus(accountId, dto),
    ]);
    const items = docs.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items,
      nextCursor: docs.length > limit && last ? encodeCursor(last) : null,
      ...(counts && { counts }),
    };
  }

  /**
   * Counts by status from the pre-aggregated counters, narrowed by what they record (integration,
   * action, source, a minute-rounded window); left out when they cannot be read (Redis down).
   */
  private async countByStatus(
    accountId: string,
    dto: EventsFilterDto,
  ): Promise<StatusCounts | undefined> {
    const reader = this.counts.get();
    if (!reader) return undefined;
    const now = Date.now();
    const to = Math.min(dto.to?.getTime() ?? now, now);
    const from = Math.max(dto.from?.getTime() ?? to - DEFAULT_COUNTS_MS, now - MAX_COUNTS_MS);
    return reader
      .countByStatus(accountId, {
        from: new Date(Math.min(from, to)),
        to: new Date(to),
        integrationId: dto.integrationId,
        action: dto.action,
        source: dto.source,
      })
      .catch(() => undefined);
  }

  /** The event, or (not projected yet) what its queued job says. */
  async get(accountId: string, messageId: string): Promise<EventView> {
    const doc = await this.events
      .findOne({ _id: messageId, accountId }, DETAIL_PROJECTION)
      .lean<EventView>();
    if (doc) {
      // Steps from concurrent writers can land out of order; show them as they happened.
      doc.timeline.sort((a, b) => new Date(a.at).getTime() - new Date(b.at).getTime());
      return doc;
    }
    for (const source of this.sources.all()) {
      const job = await source.peek(messageId);
      if (job && job.context.accountId === accountId) {
        return {
          messageId,
          source: job.source,
          integrationId: job.context.integrationId,
          accountId,
          action: job.action,
          entityId: job.entityId,
          externalId: job.externalId,
          correlationId: job.context.correlationId,
          status: MessageStatus.Received,
          attempts: job.priorAttempts,
          timeline: [],
          payload: job.payload,
          receivedAt: new Date(job.context.receivedAt),
          updatedAt: new Date(job.context.receivedAt),
          ...(job.context.batchId && { batchId: job.context.batchId }),
          ...(job.context.order && {
            order: { seq: job.context.order.seq, at: new Date(job.context.order.at) },
          }),
        };
      }
    }
    throw new NotFoundError(ErrorCode.EventNotFound, `Event ${messageId} was not found.`);
  }
}
