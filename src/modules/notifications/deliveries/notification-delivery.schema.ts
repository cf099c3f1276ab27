import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

export const DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** What the receiver answered to the latest attempt (or why there was no answer). */
export interface DeliveryResponse {
  /** HTTP status; absent when there was no answer (timeout, refused connection). */
  status?: number;
  /** The first 1,000 characters of the answer's body. */
  body?: string;
  /** Why there was no (acceptable) answer: a timeout, a connection error… */
  error?: string;
  at: Date;
  durationMs: number;
}

/** One notification to one integration's URL: every attempt updates it. `_id` = webhook-id. */
@Schema({ collection: 'notification_deliveries', timestamps: true, versionKey: false })
export class NotificationDelivery {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ required: true })
  accountId: string;

  @Prop({ required: true })
  integrationId: string;

  @Prop({ required: true })
  type: string;

  @Prop()
  messageId?: string;

  @Prop({ type: String, required: true, enum: DELIVERY_STATUSES })
  status: DeliveryStatus;

  @Prop({ required: true })
  attempts: number;

  @Prop({ required: true })
  maxAttempts: number;

  @Prop()
  url?: string;

  @Prop({ type: Object })
  lastResponse?: DeliveryResponse;

  @Prop()
  nextAttemptAt?: Date;

  /** The body sent (the Standard Webhooks payload), as the receiver got it. */
  @Prop({ type: Object, required: true })
  payload: Record<string, unknown>;

  createdAt: Date;
  updatedAt: Date;
}

export const NotificationDeliverySchema = SchemaFactory.createForClass(NotificationDelivery);
// The list's one query: an integration's deliveries, newest first.
NotificationDeliverySchema.index({ accountId: 1, integrationId: 1, createdAt: -1, _id: -1 });
NotificationDeliverySchema.index({ createdAt: 1 });
