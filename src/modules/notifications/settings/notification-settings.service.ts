import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { LRUCache } from 'lru-cache';
import { Model } from 'mongoose';
import { randomBytes } from 'node:crypto';
import { ErrorCode, NotFoundError, ValidationFailedError } from '../../../common/errors';
import { Env } from '../../../config/env';
import { IntegrationsService, SecretStore } from '../../integrations';
import { NotificationType } from '../notification-types';
import { notificationUrlProblem } from '../deliveries/url-policy';
import type { NotificationSettingsDto } from './notification-settings.dto';
import { NotificationSettings, notificationSecretRef } from './notification-settings.schema';

/** How long a process goes on with an integration's settings before reading them again. */
export const SETTINGS_CACHE_MS = 1000;
const SECRET_PREFIX_LENGTH = 'whsec_'.length + 4;

export interface NotificationTarget {
  integrationId: string;
  accountId: string;
  url: string;
  events: string[];
}

/** An integration's notification settings and signing secret, scoped to its account. */
@Injectable()
export class NotificationSettingsService {
  /** integrationId → settings, or null for "none" (most integrations): one read a second. */
  private readonly cache = new LRUCache<string, NotificationTarget | { none: true }>({
    max: 10_000,
    ttl: SETTINGS_CACHE_MS,
  });

  constructor(
    @InjectModel(NotificationSettings.name) private readonly settings: Model<NotificationSettings>,
    private readonly integrations: IntegrationsService,
    private readonly secrets: SecretStore,
    private readonly env: Env,
  ) {}

  /** 404 INTEGRATION_NOT_FOUND unless the integration is the account's. */
  async integrationOf(accountId: string, integrationId: string): Promise<void> {
    await this.integrations.get(accountId, integrationId);
  }

  async get(accountId: string, integrationId: string): Promise<NotificationSettings> {
    await this.integrations.get(accountId, integrationId);
    const doc = await this.settings.findOne({ _id: integrationId, accountId }).lean();
    if (!doc) throw notConfigured(integrationId);
    return doc;
  }

  /** Creates or replaces the settings; the first time, a secret is generated and returned. */
  async put(
    accountId: string,
    integrationId: string,
    dto: NotificationSettingsDto,
  ): Promise<{ settings: NotificationSettings; secret?: string }> {
    await this.integrations.get(accountId, integrationId);
    const problem = notificationUrlProblem(dto.url, this.env.notificationsAllowHttp);
    if (problem)
      throw new ValidationFailedError(
        [{ path: 'url', message: problem }],
        'The notification settings are invalid.',
      );
    const existing = await this.settings.findOne({ _id: integrationId, accountId }).lean();
    // The secret is written before the settings, so settings never exist without one.
    const secret = existing ? undefined : await this.newSecret(integrationId);
    const doc = await this.settings
      .findOneAndUpdate(
        { _id: integrationId },
        {
          $set: {
            accountId,
            url: dto.url,
            events: dto.events ?? [NotificationType.MessageFailed],
            ...(secret && { secretPrefix: secret.slice(0, SECRET_PREFIX_LENGTH) }),
          },
        },
        { upsert: true, new: true },
      )
      .lean();
    this.cache.delete(integrationId);
    return { settings: doc, secret };
  }

  async rotateSecret(
    accountId: string,
    integrationId: string,
  ): Promise<{ settings: NotificationSettings; secret: string }> {
    await this.get(accountId, integrationId);
    const secret = await this.newSecret(integrationId);
    const doc = await this.settings
      .findOneAndUpdate(
        { _id: integrationId, accountId },
        { $set: { secretPrefix: secret.slice(0, SECRET_PREFIX_LENGTH) } },
        { new: true },
      )
      .lean();
    if (!doc) throw notConfigured(integrationId);
    return { settings: doc, secret };
  }

  async remove(accountId: string, integrationId: string): Promise<NotificationSettings> {
    const current = await this.get(accountId, integrationId);
    await this.settings.deleteOne({ _id: integrationId, accountId });
    await this.secrets.delete(notificationSecretRef(integrationId));
    this.cache.delete(integrationId);
    return current;
  }

  /** What a delivery needs, read now (a changed URL applies to the next attempt). */
  async target(integrationId: string): Promise<NotificationTarget | undefined> {
    const doc = await this.settings.findById(integrationId).lean();
    return doc
      ? { integrationId, accountId: doc.accountId, url: doc.url, events: doc.events }
      : undefined;
  }

  /** For every recorded step: at most one store read per integration and second. */
  async cachedTarget(integrationId: string): Promise<NotificationTarget | undefined> {
    const hit = this.cache.get(integrationId);
    if (hit) return 'none' in hit ? undefined : hit;
    const target = await this.target(integrationId);
    this.cache.set(integrationId, target ?? { none: true });
    return target;
  }

  /** The current signing secret (Standard Webhooks `whsec_<base64>`). */
  secret(integrationId: string): Promise<string | undefined> {
    return this.secrets.get(notificationSecretRef(integrationId));
  }

  private async newSecret(integrationId: string): Promise<string> {
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    await this.secrets.put(notificationSecretRef(integrationId), secret);
    return secret;
  }
}

function notConfigured(integrationId: string): NotFoundError {
  return new NotFoundError(
    ErrorCode.NotificationsNotConfigured,
    `Integration ${integrationId} has no notification settings: PUT /v1/integrations/${integrationId}/notifications first.`,
  );
}
