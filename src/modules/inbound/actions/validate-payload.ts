import { dtoErrors, FieldError } from '../../../common';
import { INBOUND_ACTIONS, InboundAction } from './action-registry';

/**
 * Checks `data` against its action's DTO: types, required fields, no unknown fields (of any
 * name), no `null` (omit an optional field instead).
 */
export function validatePayload(action: InboundAction, data: unknown, path = 'data'): FieldError[] {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return [{ path, message: `${path} must be an object` }];
  }
  const payloadClass: new () => object = INBOUND_ACTIONS[action].payload;
  return dtoErrors(payloadClass, data, path);
}
