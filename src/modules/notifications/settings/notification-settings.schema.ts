import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * Where an integration's notifications go and which ones it wants. One document per
 * integration (`_id` = integrationId), in a collection of this module's own; the signing
 * secret is in the SecretStore (`notificationSecretRef`), only its prefix is kept here.
 */
@Schema({ collection: 'notification_settings', timestamps: true, versionKey: false })
export class NotificationSettings {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ required: true, index: true })
  accountId: string;

  @Prop({ required: true })
  url: string;

  @Prop({ type: [String], required: true })
  events: string[];

  /** `whsec_` and the first characters of the secret: enough to tell two secrets apart. */
  @Prop({ required: true })
  secretPrefix: string;

  createdAt: Date;
  updatedAt: Date;
}

export const NotificationSettingsSchema = SchemaFactory.createForClass(NotificationSettings);

export const notificationSecretRef = (integrationId: string) =>
  `integration/${integrationId}/notifications-secret`;
