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
   * `_id`: a point write on MongoDB without a second unique index, and the only filter the
   * local FerretDB pushes down to SQLite.
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

  @Prop()
  externalId?: string;

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

  @Prop()
  nextAttemptAt?: Date;

  @Prop()
  completedAt?: Date;

  @Prop()
  updatedAt: Date;
}

export const IntegrationEventSchema = SchemaFactory.createForClass(IntegrationEvent);
// Each index matches one filter of the events API, newest first.
IntegrationEventSchema.index({ accountId: 1, receivedAt: -1, messageId: -1 });
IntegrationEventSchema.index({ accountId: 1, integrationId: 1, receivedAt: -1 });
IntegrationEventSchema.index({ accountId: 1, status: 1, receivedAt: -1 });
IntegrationEventSchema.index({ accountId: 1, entityId: 1, receivedAt: -1 });
IntegrationEventSchema.index({ receivedAt: 1 });
