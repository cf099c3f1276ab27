export { IntegrationsModule } from './integrations.module';
export { IntegrationsService } from './manage/integrations.service';
export type { ServiceSettingsPolicy, PreparedSettings } from './manage/service-settings.policy';
export { ApiKeyCache } from './api-keys/api-key.cache';
export { ManagementAuthGuard } from './auth/management-auth.guard';
export type { ManagementRequest } from './auth/management-auth.guard';
export {
  ManagementTokenService,
  signManagementToken,
  isOperator,
  OPERATOR_ROLE,
} from './auth/management-token.service';
export type { ManagementPrincipal } from './auth/management-token.service';
export { Principal } from './auth/principal.decorator';
export { bearerToken } from './auth/bearer';
export { SecretStore } from './secrets/secret-store.port';
export type {
  IntegrationView,
  IntegrationService as IntegrationServiceName,
} from './integration.schema';
export { CreateIntegrationDto, UpdateIntegrationDto } from './manage/integration.dto';
export {
  allowedActionsOf,
  allowsAction,
  effectiveRateLimit,
} from './manage/present-inbound-policy';
