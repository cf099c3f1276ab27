import { FieldError, ValidationFailedError } from '../../../common/errors';
import { rateLimitProblem, RateLimitSpec } from '../../../common/rate-limit';
import type { Integration, IntegrationService } from '../integration.schema';

interface PolicyInput {
  allowedActions?: string[] | null;
  rateLimit?: RateLimitSpec | null;
}

type PolicyFields = Pick<Integration, 'allowedActions' | 'rateLimit'>;

/**
 * What a create or PATCH does to the inbound key's policy: values to set, and (PATCH `null`)
 * fields to clear back to their defaults. Only custom integrations have an inbound key.
 */
export function inboundPolicyUpdate(
  service: IntegrationService,
  input: PolicyInput,
): { $set: PolicyFields; $unset?: Partial<Record<keyof PolicyFields, 1>> } {
  const errors: FieldError[] = [];
  const $set: PolicyFields = {};
  const $unset: Partial<Record<keyof PolicyFields, 1>> = {};
  for (const field of ['allowedActions', 'rateLimit'] as const) {
    if (input[field] === undefined) continue;
    if (service !== 'custom') {
      errors.push({
        path: field,
        message: `${field} applies to custom integrations only (their inbound API key)`,
      });
    } else if (input[field] === null) {
      $unset[field] = 1;
    }
  }
  if (service === 'custom' && input.allowedActions) $set.allowedActions = input.allowedActions;
  if (service === 'custom' && input.rateLimit) {
    const problem = rateLimitProblem(input.rateLimit);
    if (problem) errors.push({ path: 'rateLimit.burst', message: problem });
    $set.rateLimit = { perSecond: input.rateLimit.perSecond, burst: input.rateLimit.burst };
  }
  if (errors.length) throw new ValidationFailedError(errors);
  return Object.keys($unset).length ? { $set, $unset } : { $set };
}
