import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * The `updatedOn` of the last change applied to one SKU of one integration, per kind (stock or
 * price): what lets a late retry be recognised as older than what Avvyr already holds.
 * `_id` is `<integrationId>:<kind>:<sku>`, so lookups and upserts need no other index.
 */
@Schema({ collection: 'avasam_sku_watermarks', versionKey: false })
export class SkuWatermark {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ required: true })
  integrationId: string;

  @Prop({ required: true })
  kind: string;

  @Prop({ required: true })
  sku: string;

  @Prop({ required: true })
  updatedOn: Date;

  /** messageId of the notification that last moved the watermark. */
  @Prop()
  messageId?: string;

  @Prop()
  appliedAt?: Date;
}

export const SkuWatermarkSchema = SchemaFactory.createForClass(SkuWatermark);
