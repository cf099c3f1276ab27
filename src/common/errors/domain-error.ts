import { ErrorCode } from './error-codes';

export interface FieldError {
  path: string;
  message: string;
}

/** Base of every error our code raises on purpose: a stable code, an HTTP status, details. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly status: number,
    message: string,
    readonly errors: FieldError[] = [],
    readonly title?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A validation answer lists at most this many errors; its detail says how many there were. */
export const MAX_LISTED_ERRORS = 100;

export class ValidationFailedError extends DomainError {
  constructor(errors: FieldError[], message = 'The request body is invalid.') {
    const listed = errors.length > MAX_LISTED_ERRORS ? errors.slice(0, MAX_LISTED_ERRORS) : errors;
    const detail =
      listed === errors
        ? message
        : `${message} ${errors.length} errors; the first ${MAX_LISTED_ERRORS} are listed.`;
    super(ErrorCode.ValidationFailed, 400, detail, listed, 'Validation failed');
  }
}

export class NotFoundError extends DomainError {
  constructor(code: ErrorCode, message: string) {
    super(code, 404, message, [], 'Not found');
  }
}

export class UnauthorizedError extends DomainError {
  constructor(code: ErrorCode, message: string) {
    super(code, 401, message, [], 'Unauthorized');
  }
}

export class ForbiddenError extends DomainError {
  constructor(code: ErrorCode, message: string) {
    super(code, 403, message, [], 'Forbidden');
  }
}

export class ServiceUnavailableError extends DomainError {
  constructor(code: ErrorCode, message: string) {
    super(code, 503, message, [], 'Service unavailable');
  }
}
