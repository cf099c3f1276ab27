import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema } from 'mongoose';
import { MESSAGE_STATUSES, MessageStatus, StepError } from './timeline/message-step';

export interface TimelineEntry {
  step: string;
  status?: MessageStatus;
  at: Date;
  run: number;
  attempt: number;
  detail?: Record<string, unknown>;
  error?: StepError;
}

/** The read model of one accepted message: what a user sees in the events API and dashboard. */
@Schema({ collection: 'integration_events', versionKey: false })
export class IntegrationEvent {
  /**
   * The messageId. Every projection write and every read of one event is then a lookup by
   * `_id`: a point write on MongoDB without a second unique index, and on the local FerretDB a
   * read of its `_id` index. It is also the list's tie-break (EVENT_LIST_SORT).
   */
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ required: true })
  messageId: string;

  @Prop({ required: true })
  source: string;

  @Prop({ required: true })
  integrationId: string;

  @Prop({ required: true })
  accountId: string;

  @Prop({ required: true })
  action: string;

  @Prop()
  entityId?: string;

  /** The source's own id: Avasam's requestId, an order's externalId. */
  @Prop()
  externalId?: string;

  /**
   * The SKUs the payload touches (items, products, order lines, Avasam items), for display.
   * Searched through `event_skus` (EventSku), not here: see that schema.
   */
  @Prop({ type: [String], default: undefined })
  skus?: string[];

  @Prop()
  correlationId: string;

  @Prop({ type: String, required: true, enum: MESSAGE_STATUSES })
  status: MessageStatus;

  @Prop({ required: true })
  statusRank: number;

  @Prop({ default: 0 })
  attempts: number;

  @Prop({ type: [MongooseSchema.Types.Mixed], default: [] })
  timeline: TimelineEntry[];

  @Prop({ type: MongooseSchema.Types.Mixed })
  lastError?: StepError;

  /** `lastError.code` at the top level, so the error-code filter reads an index (FerretDB too). */
  @Prop()
  errorCode?: string;

  @Prop({ type: MongooseSchema.Types.Mixed })
  result?: unknown;

  @Prop({ type: MongooseSchema.Types.Mixed })
  payload?: unknown;

  @Prop({ required: true })
  receivedAt: Date;

  /** Its place in its entity keys' order: acceptance sequence and order time (README "Ordering"). */
  @Prop({ type: MongooseSchema.Types.Mixed })
  order?: { seq: number; at: Date };

  /** The batch it was sent in (`POST /integrations/custom/inbound/batch`), if any. */
  @Prop()
  batchId?: string;

  /** The bulk replay that started its latest run, if a replay did (README "Bulk replay"). */
  @Prop()
  replayId?: string;
  @Prop()
  nextAttemptAt?: Date;

  @Prop()
  completedAt?: Date;

  @Prop()
  updatedAt: Date;
}

export const IntegrationEventSchema = SchemaFactory.createForClass(IntegrationEvent);

/**
 * The list's sort: newest first, ties by messageId (the `_id`). Every list index ends with it, so
 * MongoDB and the local FerretDB (see scripts/ferretdb/sqlite-pushdown.patch) read a page in
 * order from the index and stop at the limit, with no sort in memory.
 */
export const EVENT_LIST_SORT = { receivedAt: -1, _id: -1 } as const;

/** One index per filter of the events API (`test/events-index.e2e-spec.ts` checks each). */
const LIST_FILTER_PREFIXES: Record<string, 1>[] = [
  { accountId: 1 }, // newest page; the time window (from/to) is a range on receivedAt
  { accountId: 1, integrationId: 1 },
  { accountId: 1, integrationId: 1, status: 1 },
  { accountId: 1, integrationId: 1, action: 1 },
  { accountId: 1, status: 1 },
  { accountId: 1, entityId: 1 },
  { accountId: 1, source: 1 },
  { accountId: 1, externalId: 1 },
  { accountId: 1, errorCode: 1 },
];
export const EVENT_LIST_INDEXES: Record<string, 1 | -1>[] = LIST_FILTER_PREFIXES.map((prefix) => ({
  ...prefix,
  ...EVENT_LIST_SORT,
}));

for (const keys of EVENT_LIST_INDEXES) IntegrationEventSchema.index(keys);
// Retention deletes by age.
IntegrationEventSchema.index({ receivedAt: 1 });

/**
 * Indexes of earlier versions, ending in receivedAt alone: a planner had to sort their matches
 * in memory. Dropped at start-up where they still exist.
 */
export const LEGACY_EVENT_INDEXES = [
  'accountId_1_receivedAt_-1_messageId_-1',
  'accountId_1_integrationId_1_receivedAt_-1',
  'accountId_1_status_1_receivedAt_-1',
  'accountId_1_entityId_1_receivedAt_-1',
];
