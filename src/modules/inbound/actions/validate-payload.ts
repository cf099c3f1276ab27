import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { FieldError, flattenValidationErrors } from '../../../common/errors';
import { INBOUND_ACTIONS, InboundAction } from './action-registry';

/** Checks `data` against its action's DTO: types, required fields, no unknown fields. */
export function validatePayload(action: InboundAction, data: unknown, path = 'data'): FieldError[] {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return [{ path, message: `${path} must be an object` }];
  }
  const payloadClass: new () => object = INBOUND_ACTIONS[action].payload;
  const instance = plainToInstance(payloadClass, data);
  const errors = validateSync(instance, {
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
  });
  return flattenValidationErrors(errors, path);
}
