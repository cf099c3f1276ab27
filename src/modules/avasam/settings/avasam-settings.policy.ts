import { Injectable, OnModuleInit } from '@nestjs/common';
import { Env } from '../../../config/env';
import { validateDto, ValidationFailedError } from '../../../common';
import type { IntegrationView, PreparedSettings, ServiceSettingsPolicy } from '../../integrations';
import { IntegrationsService } from '../../integrations';
import { NOTIFICATION_KINDS } from '../notifications/notification-kinds';
import {
  AvasamSettings,
  DEFAULT_PRICE_FIELD,
  refKey,
  SECRET_SETTINGS,
  secretRef,
} from './avasam-settings';
import { AvasamSettingsInput } from './avasam-settings.input';

export const MASKED = '********';

/** Validates, splits and shows the settings of Avasam integrations (registered at start-up). */
@Injectable()
export class AvasamSettingsPolicy implements ServiceSettingsPolicy, OnModuleInit {
  readonly service = 'avasam' as const;

  constructor(
    private readonly integrations: IntegrationsService,
    private readonly env: Env,
  ) {}

  onModuleInit(): void {
    this.integrations.registerSettingsPolicy(this);
  }

  async prepare(
    integrationId: string,
    input: Record<string, unknown> | undefined,
    current: Record<string, unknown> | undefined,
  ): Promise<PreparedSettings> {
    const { errors, instance: dto } = validateDto(AvasamSettingsInput, input ?? {}, 'settings');
    const settings: Record<string, unknown> = { ...current };
    const secrets: Record<string, string> = {};
    for (const name of SECRET_SETTINGS) {
      const value = dto[name];
      if (value !== undefined && value !== null) {
        const ref = secretRef(integrationId, name);
        secrets[ref] = value;
        settings[refKey(name)] = ref;
      } else if (typeof settings[refKey(name)] !== 'string') {
        errors.push({ path: `settings.${name}`, message: `${name} is required` });
      }
    }
    if (errors.length) {
      throw new ValidationFailedError(errors, 'The integration settings are invalid.');
    }
    if (dto.consumerKey) settings.consumerKeyHint = dto.consumerKey.slice(-4);
    for (const name of ['warehouseId', 'priceField', 'priceAcknowledgementPath'] as const) {
      if (dto[name] === null) delete settings[name];
      else if (dto[name] !== undefined) settings[name] = dto[name];
    }
    settings.priceField ??= DEFAULT_PRICE_FIELD;
    return { settings, secrets };
  }

  present(integration: IntegrationView): Record<string, unknown> {
    const settings = integration.settings as Partial<AvasamSettings>;
    const base = `${this.env.publicBaseUrl}/webhooks/avasam/${integration.id}`;
    return {
      consumerKey: settings.consumerKeyHint ? `${MASKED}${settings.consumerKeyHint}` : null,
      secretKey: settings.secretKeyRef ? MASKED : null,
      verificationToken: settings.verificationTokenRef ? MASKED : null,
      warehouseId: settings.warehouseId ?? this.env.AVASAM_DEFAULT_WAREHOUSE_ID,
      priceField: settings.priceField ?? DEFAULT_PRICE_FIELD,
      priceAcknowledgementPath: settings.priceAcknowledgementPath ?? null,
      stockUpdateUrl: `${base}/${NOTIFICATION_KINDS.stock.path}`,
      priceUpdateUrl: `${base}/${NOTIFICATION_KINDS.price.path}`,
    };
  }
}
