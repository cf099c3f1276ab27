import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { ConnectionStates, type FilterQuery, type Model } from 'mongoose';
import { ErrorCode, isStoreUnavailable, NotFoundError } from '../../../common/errors';
import { EventSku } from '../event-sku.schema';
import { EVENT_LIST_SORT, IntegrationEvent } from '../integration-event.schema';
import { MessageSources } from '../retry/message-sources';
import { MessageStatus } from '../timeline/message-step';
import { decodeCursor, encodeCursor, EventCursor } from './cursor';
import type { EventsFilterDto } from './events-filter.dto';
import { StatusCounts, StatusCountsSource } from './status-counts';

export type EventView = Omit<IntegrationEvent, '_id' | 'statusRank'>;
/** What a message was sent with: an Idempotency-Key resend must match it. */
export type EarlierRequest = Pick<EventView, 'action' | 'entityId' | 'payload'>;

const LIST_PROJECTION = { _id: 0, statusRank: 0, payload: 0, timeline: 0 } as const;
const DETAIL_PROJECTION = { _id: 0, statusRank: 0 } as const;
/** The list's counts cover the last day unless the filter says otherwise, and 7 days at most. */
const DEFAULT_COUNTS_MS = 24 * 3600_000;
const MAX_COUNTS_MS = 7 * 24 * 3600_000;
/** SKU rows read per round when counting a filter with `sku`. */
const SKU_COUNT_BATCH = 1000;

/** Reads of the IntegrationEvent model, always within one account. */
@Injectable()
export class EventsQueryService {
  constructor(
    @InjectModel(IntegrationEvent.name) private readonly events: Model<IntegrationEvent>,
    @InjectModel(EventSku.name) private readonly skus: Model<EventSku>,
    private readonly sources: MessageSources,
    private readonly counts: StatusCountsSource,
  ) {}

  /**
   * One page, newest first. Each filter has an index ending in the sort (EVENT_LIST_INDEXES), so
   * the page is read in order from it and the read stops at the limit; `sku` reads `event_skus`.
   */
  async filter(accountId: string, dto: EventsFilterDto) {
    const [page, counts] = await Promise.all([
      this.page(accountId, dto),
      this.countByStatus(accountId, dto),
    ]);
    return { ...page, ...(counts && { counts }) };
  }

  /** One page of the list without its counts (what a bulk replay walks through). */
  async page(
    accountId: string,
    dto: EventsFilterDto,
  ): Promise<{ items: EventView[]; nextCursor: string | null }> {
    const limit = dto.limit ?? 50;
    const docs = dto.sku
      ? await this.findBySku(accountId, dto.sku, dto, limit + 1)
      : await this.events
          .find(listQuery(accountId, dto), LIST_PROJECTION)
          .sort(EVENT_LIST_SORT)
          .limit(limit + 1)
          .lean<EventView[]>();
    const items = docs.slice(0, limit);
    const last = items[items.length - 1];
    return { items, nextCursor: docs.length > limit && last ? encodeCursor(last) : null };
  }

  /**
   * How many events the filter matches now (cursor and limit ignored). With `sku`, the SKU's
   * rows are read in batches and the events among them that pass the other filters counted.
   */
  async count(accountId: string, dto: EventsFilterDto): Promise<number> {
    const whole = { ...dto, cursor: undefined, limit: undefined };
    if (!dto.sku) return this.events.countDocuments(listQuery(accountId, whole));
    const others = listQuery(accountId, { ...whole, from: undefined, to: undefined });
    let total = 0;
    let cursor: EventCursor | undefined;
    for (;;) {
      const rows = await this.skus
        .find(
          { accountId, sku: dto.sku, ...windowAndCursor(whole, cursor, 'messageId') },
          { _id: 0, messageId: 1, receivedAt: 1 },
        )
        .sort({ receivedAt: -1, messageId: -1 })
        .limit(SKU_COUNT_BATCH)
        .lean<{ messageId: string; receivedAt: Date }[]>();
      if (!rows.length) return total;
      total += await this.events.countDocuments({
        ...others,
        _id: { $in: rows.map((r) => r.messageId) },
      });
      if (rows.length < SKU_COUNT_BATCH) return total;
      cursor = rows[rows.length - 1];
    }
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

  /**
   * Events naming the SKU, in list order: a range of `event_skus` (same sort, same cursor), then
   * those events by `_id`, with the other filters applied to them. With no other filter one read
   * of each suffices; otherwise it reads further SKU rows until the page is full.
   */
  private async findBySku(
    accountId: string,
    sku: string,
    dto: EventsFilterDto,
    wanted: number,
  ): Promise<EventView[]> {
    const others = listQuery(accountId, {
      ...dto,
      from: undefined,
      to: undefined,
      cursor: undefined,
    });
    const narrowed = Object.keys(others).length > 1;
    const batch = narrowed ? Math.min(Math.max(wanted * 4, 100), 1000) : wanted;
    const found: EventView[] = [];
    let cursor = dto.cursor ? decodeCursor(dto.cursor) : undefined;
    for (;;) {
      const rows = await this.skus
        .find(
          { accountId, sku, ...windowAndCursor(dto, cursor, 'messageId') },
          { _id: 0, messageId: 1, receivedAt: 1 },
        )
        .sort({ receivedAt: -1, messageId: -1 })
        .limit(batch)
        .lean<{ messageId: string; receivedAt: Date }[]>();
      if (!rows.length) return found;
      const events = await this.events
        .find({ ...others, _id: { $in: rows.map((r) => r.messageId) } }, LIST_PROJECTION)
        .lean<EventView[]>();
      const byId = new Map(events.map((e) => [e.messageId, e]));
      for (const row of rows) {
        const event = byId.get(row.messageId);
        if (event) found.push(event);
        if (found.length === wanted) return found;
      }
      if (rows.length < batch) return found;
      cursor = rows[rows.length - 1];
    }
  }

  /**
   * What the events of these messageIds were sent with, for an Idempotency-Key resend whose job
   * BullMQ has already trimmed (completed jobs are kept 24 h / 5,000): the event is kept for
   * EVENT_RETENTION_DAYS. Empty while the store is unreachable: ingest goes on on Redis alone.
   */
  async earlierRequests(
    accountId: string,
    messageIds: string[],
  ): Promise<Map<string, EarlierRequest>> {
    // A store known to be down is not waited for (its server selection takes 800 ms).
    if (!messageIds.length || this.events.db.readyState !== ConnectionStates.connected) {
      return new Map();
    }
    try {
      const docs = await this.events
        .find(
          { _id: { $in: messageIds }, accountId },
          { _id: 0, messageId: 1, action: 1, entityId: 1, payload: 1 },
        )
        .lean<(EarlierRequest & { messageId: string })[]>();
      return new Map(docs.map(({ messageId, ...request }) => [messageId, request]));
    } catch (error) {
      if (isStoreUnavailable(error)) return new Map();
      throw error;
    }
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

/**
 * The list filter on IntegrationEvent: top-level equalities, a receivedAt range and the cursor,
 * the only forms the local FerretDB turns into index reads (see its patch). Never a filter on
 * an array field: that store does not match array members.
 */
function listQuery(accountId: string, dto: EventsFilterDto): FilterQuery<IntegrationEvent> {
  const query: FilterQuery<IntegrationEvent> = { accountId };
  if (dto.integrationId) query.integrationId = dto.integrationId;
  if (dto.status) query.status = dto.status;
  if (dto.action) query.action = dto.action;
  if (dto.entityId) query.entityId = dto.entityId;
  if (dto.source) query.source = dto.source;
  if (dto.externalId) query.externalId = dto.externalId;
  if (dto.errorCode) query.errorCode = dto.errorCode;
  const cursor = dto.cursor ? decodeCursor(dto.cursor) : undefined;
  return { ...query, ...windowAndCursor(dto, cursor, '_id') };
}

/**
 * `from`/`to` as a receivedAt range, and the page cursor: after (receivedAt, id) in the list's
 * descending order. `id` names the messageId: `_id` on events, `messageId` on event_skus.
 */
function windowAndCursor(
  dto: Pick<EventsFilterDto, 'from' | 'to'>,
  cursor: EventCursor | undefined,
  id: '_id' | 'messageId',
): Record<string, unknown> {
  const query: Record<string, unknown> = {};
  const receivedAt: Record<string, Date> = {};
  if (dto.from) receivedAt.$gte = dto.from;
  if (dto.to) receivedAt.$lt = dto.to;
  if (Object.keys(receivedAt).length) query.receivedAt = receivedAt;
  if (cursor) {
    query.$or = [
      { receivedAt: { $lt: cursor.receivedAt } },
      { receivedAt: cursor.receivedAt, [id]: { $lt: cursor.messageId } },
    ];
  }
  return query;
}
