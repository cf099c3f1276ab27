/** Every error code the API can answer with, defined once. */
export const ErrorCode = {
  ValidationFailed: 'VALIDATION_FAILED',
  UnknownAction: 'UNKNOWN_ACTION',
  MalformedJson: 'MALFORMED_JSON',
  PayloadTooLarge: 'PAYLOAD_TOO_LARGE',
  UnsupportedMediaType: 'UNSUPPORTED_MEDIA_TYPE',
  Unauthorized: 'UNAUTHORIZED',
  InvalidApiKey: 'INVALID_API_KEY',
  InvalidManagementToken: 'INVALID_MANAGEMENT_TOKEN',
  ManagementTokenExpired: 'MANAGEMENT_TOKEN_EXPIRED',
  IntegrationDisabled: 'INTEGRATION_DISABLED',
  IntegrationServiceMismatch: 'INTEGRATION_SERVICE_MISMATCH',
  ActionNotAllowed: 'ACTION_NOT_ALLOWED',
  RateLimited: 'RATE_LIMITED',
  Forbidden: 'FORBIDDEN',
  OperatorRoleRequired: 'OPERATOR_ROLE_REQUIRED',
  NotFound: 'NOT_FOUND',
  IntegrationNotFound: 'INTEGRATION_NOT_FOUND',
  EventNotFound: 'EVENT_NOT_FOUND',
  EventNotRetryable: 'EVENT_NOT_RETRYABLE',
  ReplayNotFound: 'REPLAY_NOT_FOUND',
  ReplayNotRunning: 'REPLAY_NOT_RUNNING',
  NotificationsNotConfigured: 'NOTIFICATIONS_NOT_CONFIGURED',
  QueueUnavailable: 'QUEUE_UNAVAILABLE',
  QueueOutcomeUnknown: 'QUEUE_OUTCOME_UNKNOWN',
  StoreUnavailable: 'STORE_UNAVAILABLE',
  ServiceUnhealthy: 'SERVICE_UNHEALTHY',
  StatsUnavailable: 'STATS_UNAVAILABLE',
  WebhookTokenMissing: 'WEBHOOK_TOKEN_MISSING',
  WebhookTokenInvalid: 'WEBHOOK_TOKEN_INVALID',
  WebhookTokenExpired: 'WEBHOOK_TOKEN_EXPIRED',
  WebhookRequestIdMismatch: 'WEBHOOK_REQUEST_ID_MISMATCH',
  WebhookTokenAlgorithmRefused: 'WEBHOOK_TOKEN_ALGORITHM_REFUSED',
  WebhookSignatureInvalid: 'WEBHOOK_SIGNATURE_INVALID',
  WebhookTokenNotYetValid: 'WEBHOOK_TOKEN_NOT_YET_VALID',
  MethodNotAllowed: 'METHOD_NOT_ALLOWED',
  Conflict: 'CONFLICT',
  TooManyRequests: 'TOO_MANY_REQUESTS',
  Internal: 'INTERNAL_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Fallback code for an HTTP status raised by the framework rather than by our code. */
export function codeForStatus(status: number): ErrorCode {
  switch (status) {
    case 400:
      return ErrorCode.ValidationFailed;
    case 401:
      return ErrorCode.Unauthorized;
    case 403:
      return ErrorCode.Forbidden;
    case 404:
      return ErrorCode.NotFound;
    case 405:
      return ErrorCode.MethodNotAllowed;
    case 409:
      return ErrorCode.Conflict;
    case 413:
      return ErrorCode.PayloadTooLarge;
    case 415:
      return ErrorCode.UnsupportedMediaType;
    case 429:
      return ErrorCode.TooManyRequests;
    case 503:
      return ErrorCode.QueueUnavailable;
    default:
      return ErrorCode.Internal;
  }
}
