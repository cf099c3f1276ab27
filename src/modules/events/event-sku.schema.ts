import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * One SKU an event's payload touches: what `POST /v1/integrations/events/filter {sku}` reads.
 *
 * A separate collection rather than a multikey index on IntegrationEvent.skus: the local
 * FerretDB serves filters from SQLite expression indexes, which cannot index array members
 * (its patch matches `{sku: v}` against the whole stored value). One scalar `sku` per document
 * is indexed the same way on MongoDB and on FerretDB, in the list's order, so a SKU page is
 * one index range read here, then one `_id $in` read of the events. Written when the event is
 * created (ProjectionWriter), deleted with it (retention); `_id` is `<messageId>:<sku>`, so
 * writing it again is a duplicate and changes nothing.
 */
@Schema({ collection: 'event_skus', versionKey: false })
export class EventSku {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ required: true })
  accountId: string;

  @Prop({ required: true })
  sku: string;

  @Prop({ required: true })
  receivedAt: Date;

  @Prop({ required: true })
  messageId: string;
}

export const EventSkuSchema = SchemaFactory.createForClass(EventSku);
EventSkuSchema.index({ accountId: 1, sku: 1, receivedAt: -1, messageId: -1 });
EventSkuSchema.index({ receivedAt: 1 });

export function eventSkuRows(event: {
  messageId: string;
  accountId: string;
  receivedAt: Date;
  skus?: string[];
}): EventSku[] {
  return (event.skus ?? []).map((sku) => ({
    _id: `${event.messageId}:${sku}`,
    accountId: event.accountId,
    sku,
    receivedAt: event.receivedAt,
    messageId: event.messageId,
  }));
}
