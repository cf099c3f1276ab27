import { INBOUND_ACTION_NAMES } from '../../../common/inbound-actions';
import type { RateLimitSpec } from '../../../common/rate-limit';
import type { Env } from '../../../config/env';
import type { IntegrationView } from '../integration.schema';

/**
 * The inbound key's policy as reads show it: the limits in force (defaults filled in; custom
 * integrations only) and the previous key while its grace lasts (`null` otherwise).
 */
export function presentInboundPolicy(integration: IntegrationView, env: Env, now = Date.now()) {
  const previous = integration.previousApiKey;
  return {
    ...(integration.service === 'custom' && {
      allowedActions: allowedActionsOf(integration),
      rateLimit: effectiveRateLimit(integration, env),
    }),
    previousApiKey:
      previous && previous.expiresAt.getTime() > now
        ? { prefix: previous.prefix, expiresAt: previous.expiresAt }
        : null,
  };
}

/** The inbound limit of an integration's key: its own, or the env's defaults. */
export function effectiveRateLimit(integration: IntegrationView, env: Env): RateLimitSpec {
  return (
    integration.rateLimit ?? { perSecond: env.RATE_LIMIT_PER_SECOND, burst: env.RATE_LIMIT_BURST }
  );
}

/** Whether the integration's key may send `action` (every action unless it says otherwise). */
export function allowsAction(integration: IntegrationView, action: string): boolean {
  return !integration.allowedActions || integration.allowedActions.includes(action);
}

export function allowedActionsOf(integration: IntegrationView): string[] {
  return integration.allowedActions ?? [...INBOUND_ACTION_NAMES];
}
