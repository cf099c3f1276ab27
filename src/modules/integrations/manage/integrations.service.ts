import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { isValidObjectId, Model, Types } from 'mongoose';
import {
  DomainError,
  ErrorCode,
  NotFoundError,
  ValidationFailedError,
} from '../../../common/errors';
import { displayPrefix, generateApiKey, hashApiKey } from '../api-keys/api-key';
import { ApiKeyCache } from '../api-keys/api-key.cache';
import { Integration, IntegrationService, IntegrationView, toView } from '../integration.schema';
import { SecretStore } from '../secrets/secret-store.port';
import type { CreateIntegrationDto, UpdateIntegrationDto } from './integration.dto';
import { ServiceSettingsPolicy } from './service-settings.policy';
import { inboundPolicyUpdate } from './inbound-policy';

export const apiKeySecretRef = (integrationId: string) => `integration/${integrationId}/api-key`;

/** Integration lifecycle: create, read, update, rotate the key. Always scoped to one account. */
@Injectable()
export class IntegrationsService {
  private readonly policies = new Map<IntegrationService, ServiceSettingsPolicy>();

  constructor(
    @InjectModel(Integration.name) private readonly integrations: Model<Integration>,
    private readonly secrets: SecretStore,
    private readonly keyCache: ApiKeyCache,
  ) {}

  registerSettingsPolicy(policy: ServiceSettingsPolicy): void {
    this.policies.set(policy.service, policy);
  }

  async create(
    accountId: string,
    dto: CreateIntegrationDto,
  ): Promise<{ integration: IntegrationView; apiKey: string }> {
    const id = new Types.ObjectId();
    const policy = inboundPolicyUpdate(dto.service, dto);
    const prepared = await this.prepareSettings(dto.service, id.toHexString(), dto.settings);
    const apiKey = generateApiKey();
    await this.storeSecrets(prepared.secrets);
    await this.secrets.put(apiKeySecretRef(id.toHexString()), apiKey);
    const doc = await this.integrations.create({
      _id: id,
      accountId,
      service: dto.service,
      name: dto.name,
      enabled: dto.enabled,
      apiKeyHash: hashApiKey(apiKey),
      apiKeyPrefix: displayPrefix(apiKey),
      settings: prepared.settings,
      ...policy.$set,
    });
    return { integration: toView(doc.toObject()), apiKey };
  }

  async list(accountId: string): Promise<IntegrationView[]> {
    const docs = await this.integrations.find({ accountId }).sort({ createdAt: -1 }).lean();
    return docs.map(toView);
  }

  async get(accountId: string, id: string): Promise<IntegrationView> {
    const doc = isValidObjectId(id)
      ? await this.integrations.findOne({ _id: id, accountId }).lean()
      : null;
    if (!doc) throw integrationNotFound(id);
    return toView(doc);
  }

  /** For edges that identify the integration by id alone (webhook URLs). */
  async findById(id: string): Promise<IntegrationView | undefined> {
    if (!isValidObjectId(id)) return undefined;
    const doc = await this.integrations.findById(id).lean();
    return doc ? toView(doc) : undefined;
  }

  async update(accountId: string, id: string, dto: UpdateIntegrationDto): Promise<IntegrationView> {
    const current = await this.get(accountId, id);
    const policy = inboundPolicyUpdate(current.service, dto);
    const set: Partial<Integration> = { ...policy.$set };
    if (dto.name !== undefined) set.name = dto.name;
    if (dto.enabled !== undefined) set.enabled = dto.enabled;
    if (dto.settings !== undefined) {
      const prepared = await this.prepareSettings(
        current.service,
        id,
        dto.settings,
        current.settings,
      );
      await this.storeSecrets(prepared.secrets);
      set.settings = prepared.settings;
    }
    const doc = await this.integrations
      .findOneAndUpdate(
        { _id: id, accountId },
        { $set: set, ...(policy.$unset && { $unset: policy.$unset }) },
        { new: true },
      )
      .lean();
    if (!doc) throw integrationNotFound(id);
    this.keyCache.clear();
    return toView(doc);
  }

  /**
   * A new key. With `graceSeconds` > 0 the current key keeps working until then (a key still in
   * an earlier grace stops at once: only the last two keys work); with 0 it stops at once.
   */
  async regenerateKey(
    accountId: string,
    id: string,
    graceSeconds = 0,
  ): Promise<{ integration: IntegrationView; apiKey: string }> {
    await this.get(accountId, id);
    const current = await this.integrations.findOne({ _id: id, accountId }).lean();
    if (!current) throw integrationNotFound(id);
    const apiKey = generateApiKey();
    await this.secrets.put(apiKeySecretRef(id), apiKey);
    const key = { apiKeyHash: hashApiKey(apiKey), apiKeyPrefix: displayPrefix(apiKey) };
    const previous = {
      previousApiKeyHash: current.apiKeyHash,
      previousApiKeyPrefix: current.apiKeyPrefix,
      previousApiKeyExpiresAt: new Date(Date.now() + graceSeconds * 1000),
    };
    const unsetPrevious = {
      previousApiKeyHash: 1,
      previousApiKeyPrefix: 1,
      previousApiKeyExpiresAt: 1,
    };
    // Only if nobody rolled the key meanwhile: the previous key kept is the one just read.
    const doc = await this.integrations
      .findOneAndUpdate(
        { _id: id, accountId, apiKeyHash: current.apiKeyHash },
        graceSeconds > 0 ? { $set: { ...key, ...previous } } : { $set: key, $unset: unsetPrevious },
        { new: true },
      )
      .lean();
    if (!doc) {
      throw new DomainError(
        ErrorCode.Conflict,
        409,
        'The key was regenerated by another request meanwhile; read the integration and try again.',
      );
    }
    this.keyCache.clear();
    return { integration: toView(doc), apiKey };
  }

  /** Reads show each service's settings through its policy (secrets masked). */
  present(integration: IntegrationView): Record<string, unknown> {
    return this.policies.get(integration.service)?.present(integration) ?? integration.settings;
  }

  private async prepareSettings(
    service: IntegrationService,
    id: string,
    input: Record<string, unknown> | undefined,
    current?: Record<string, unknown>,
  ) {
    const policy = this.policies.get(service);
    if (policy) return policy.prepare(id, input, current);
    if (input && Object.keys(input).length > 0) {
      throw new ValidationFailedError(
        [{ path: 'settings', message: `a ${service} integration takes no settings` }],
        'The integration settings are invalid.',
      );
    }
    return { settings: {}, secrets: {} };
  }

  private async storeSecrets(secrets: Record<string, string>): Promise<void> {
    for (const [ref, value] of Object.entries(secrets)) await this.secrets.put(ref, value);
  }
}

function integrationNotFound(id: string): NotFoundError {
  return new NotFoundError(ErrorCode.IntegrationNotFound, `Integration ${id} was not found.`);
}
