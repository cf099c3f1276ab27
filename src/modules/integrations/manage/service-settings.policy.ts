import type { IntegrationService, IntegrationView } from '../integration.schema';

export interface PreparedSettings {
  /** Non-secret settings stored on the Integration document (secret ones as references). */
  settings: Record<string, unknown>;
  /** Secret values to write to the SecretStore, by reference. */
  secrets: Record<string, string>;
}

/**
 * How one service's `settings` are validated, split into secrets and shown back. A module that
 * adds a service (avasam) registers one with IntegrationsService at start-up.
 */
export interface ServiceSettingsPolicy {
  readonly service: IntegrationService;
  /** Throws ValidationFailedError (paths under `settings.`) on bad input. */
  prepare(
    integrationId: string,
    input: Record<string, unknown> | undefined,
    current: Record<string, unknown> | undefined,
  ): Promise<PreparedSettings>;
  /** What reads show: masked secrets and derived values (such as webhook URLs). */
  present(integration: IntegrationView): Record<string, unknown>;
}
