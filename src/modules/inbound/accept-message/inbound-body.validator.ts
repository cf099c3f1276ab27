import { DomainError, ErrorCode, FieldError, ValidationFailedError } from '../../../common/errors';
import {
  INBOUND_ACTIONS,
  InboundAction,
  isInboundAction,
  SUPPORTED_ACTIONS,
} from '../actions/action-registry';
import { validatePayload } from '../actions/validate-payload';

export interface ValidInboundMessage {
  action: InboundAction;
  entityId?: string;
  data: Record<string, unknown>;
  /** The source system's time of the change (ISO 8601), normalised; orders the message's keys. */
  occurredAt?: string;
}

const ENVELOPE_FIELDS = new Set(['action', 'entityId', 'data', 'occurredAt']);
/** ISO 8601 date-time with a zone (`Z` or `±hh:mm`), as JSON dates are written. */
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const MAX_ENTITY_ID_LENGTH = 500;
/** An unknown action is echoed in the answer's detail, cut to this many characters. */
const MAX_ACTION_SHOWN = 100;

/**
 * Validates the whole request `{action, entityId?, data}` and reports every failing path at once
 * (`data.items[1].quantity`), so a caller fixes a message in one round.
 */
export function validateInboundBody(
  body: unknown,
  /** The actions the integration's key may send (all when omitted). */
  allowedActions?: readonly string[],
): ValidInboundMessage {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ValidationFailedError([
      { path: '', message: 'the body must be a JSON object {action, entityId?, data}' },
    ]);
  }
  const input = body as Record<string, unknown>;
  const errors: FieldError[] = Object.keys(input)
    .filter((key) => !ENVELOPE_FIELDS.has(key))
    .map((key) => ({ path: key, message: `property ${key} should not exist` }));

  const { action, entityId, data, occurredAt } = input;
  const occurredAtMs =
    typeof occurredAt === 'string' && ISO_DATE_TIME.test(occurredAt) ? Date.parse(occurredAt) : NaN;
  if (occurredAt !== undefined && !Number.isFinite(occurredAtMs)) {
    errors.push({
      path: 'occurredAt',
      message:
        'occurredAt must be an ISO 8601 date-time with a zone, e.g. 2026-12-01T07:15:00.000Z',
    });
  }
  if (action === undefined || action === null) {
    errors.push({ path: 'action', message: 'action is required' });
  } else if (typeof action !== 'string') {
    // Never serialised: an arbitrary value has no place in an answer (nor JSON.stringify's stack).
    errors.push({
      path: 'action',
      message: `action must be a string, one of: ${SUPPORTED_ACTIONS.join(', ')}`,
    });
  } else if (!isInboundAction(action)) {
    const shown =
      action.length > MAX_ACTION_SHOWN ? `${action.slice(0, MAX_ACTION_SHOWN)}…` : action;
    throw new DomainError(
      ErrorCode.UnknownAction,
      400,
      `Unknown action ${JSON.stringify(shown)}. Supported actions: ${SUPPORTED_ACTIONS.join(', ')}.`,
      [{ path: 'action', message: `action must be one of: ${SUPPORTED_ACTIONS.join(', ')}` }],
      'Unknown action',
    );
  } else if (allowedActions && !allowedActions.includes(action)) {
    throw new DomainError(
      ErrorCode.ActionNotAllowed,
      403,
      `This integration may not send ${action}. Allowed actions: ${allowedActions.join(', ')}.`,
      [{ path: 'action', message: `action must be one of: ${allowedActions.join(', ')}` }],
      'Action not allowed',
    );
  }

  if (entityId !== undefined) {
    if (typeof entityId !== 'string' || entityId.trim() === '') {
      errors.push({ path: 'entityId', message: 'entityId must be a non-empty string' });
    } else if (entityId.length > MAX_ENTITY_ID_LENGTH) {
      errors.push({
        path: 'entityId',
        message: `entityId must be at most ${MAX_ENTITY_ID_LENGTH} characters`,
      });
    }
  } else if (isInboundAction(action) && INBOUND_ACTIONS[action].requiresEntityId) {
    errors.push({ path: 'entityId', message: `entityId is required for ${action}` });
  }

  if (data === undefined || data === null) {
    errors.push({ path: 'data', message: 'data is required' });
  } else if (isInboundAction(action)) {
    errors.push(...validatePayload(action, data));
  }

  if (errors.length) throw new ValidationFailedError(errors);
  return {
    action: action as InboundAction,
    ...(entityId !== undefined && { entityId: entityId as string }),
    data: data as Record<string, unknown>,
    ...(occurredAt !== undefined && { occurredAt: new Date(occurredAtMs).toISOString() }),
  };
}
