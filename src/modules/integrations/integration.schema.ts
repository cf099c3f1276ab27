import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument } from 'mongoose';
import type { RateLimitSpec } from '../../common/rate-limit';

export const INTEGRATION_SERVICES = ['custom', 'avasam'] as const;
export type IntegrationService = (typeof INTEGRATION_SERVICES)[number];

/**
 * A connection of one account to one external system. Holds the SHA-256 of its API key (the
 * key itself lives only in the SecretStore) and the non-secret settings of its service.
 */
@Schema({ collection: 'integrations', timestamps: true, versionKey: false })
export class Integration {
  @Prop({ required: true, index: true })
  accountId: string;

  @Prop({ type: String, required: true, enum: INTEGRATION_SERVICES })
  service: IntegrationService;

  @Prop({ required: true })
  name: string;

  @Prop({ required: true })
  enabled: boolean;

  @Prop({ required: true, unique: true })
  apiKeyHash: string;

  @Prop({ required: true })
  apiKeyPrefix: string;

  /** Inbound actions this key may send; unset = all of them. */
  @Prop({ type: [String], default: undefined })
  allowedActions?: string[];

  /** Inbound limit of this key; unset = RATE_LIMIT_PER_SECOND / RATE_LIMIT_BURST. */
  @Prop({ type: Object, default: undefined })
  rateLimit?: RateLimitSpec;

  /** The key before the last roll, still accepted until previousApiKeyExpiresAt (grace). */
  @Prop({ index: true })
  previousApiKeyHash?: string;

  @Prop()
  previousApiKeyPrefix?: string;

  @Prop()
  previousApiKeyExpiresAt?: Date;

  /** Service-specific, non-secret settings; secret ones are SecretStore references. */
  @Prop({ type: Object, default: {} })
  settings: Record<string, unknown>;

  createdAt: Date;
  updatedAt: Date;
}

export type IntegrationDocument = HydratedDocument<Integration>;
export const IntegrationSchema = SchemaFactory.createForClass(Integration);

/** The shape handed to other modules: plain data, no Mongoose. */
export interface IntegrationView {
  id: string;
  accountId: string;
  service: IntegrationService;
  name: string;
  enabled: boolean;
  apiKeyPrefix: string;
  allowedActions?: string[];
  rateLimit?: RateLimitSpec;
  /** The previous key while its grace lasts. */
  previousApiKey?: { prefix: string; expiresAt: Date };
  settings: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
}

export function toView(doc: Integration & { _id: unknown }): IntegrationView {
  return {
    id: String(doc._id),
    accountId: doc.accountId,
    service: doc.service,
    name: doc.name,
    enabled: doc.enabled,
    apiKeyPrefix: doc.apiKeyPrefix,
    ...(doc.allowedActions && { allowedActions: doc.allowedActions }),
    ...(doc.rateLimit && { rateLimit: doc.rateLimit }),
    ...(doc.previousApiKeyPrefix &&
      doc.previousApiKeyExpiresAt && {
        previousApiKey: {
          prefix: doc.previousApiKeyPrefix,
          expiresAt: doc.previousApiKeyExpiresAt,
        },
      }),
    settings: doc.settings ?? {},
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}
