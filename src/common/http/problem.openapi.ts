import { applyDecorators } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  ApiSchema,
  getSchemaPath,
} from '@nestjs/swagger';
import type { HeadersObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { ErrorCode } from '../errors';
import { PROBLEM_CONTENT_TYPE, problemType } from './problem';

class ProblemFieldError {
  @ApiProperty({ example: 'data.items[1].quantity' })
  path: string;

  @ApiProperty({ example: 'quantity must not be less than 0' })
  message: string;
}

/** The OpenAPI view of `Problem` (RFC 9457), as the ProblemFilter answers every error. */
@ApiSchema({ name: 'Problem', description: 'RFC 9457 problem details (application/problem+json)' })
export class ProblemDocument {
  @ApiProperty({ example: 'urn:avvyr:problem:validation-failed' })
  type: string;

  @ApiProperty({ example: 'Validation failed' })
  title: string;

  @ApiProperty({ example: 400 })
  status: number;

  @ApiProperty({ example: 'The request body is invalid.' })
  detail: string;

  @ApiProperty({ description: 'Stable error code', example: 'VALIDATION_FAILED' })
  code: string;

  @ApiProperty({ type: [ProblemFieldError], description: 'Every failing field, at once' })
  errors: ProblemFieldError[];

  @ApiPropertyOptional({ description: 'Echoed in the X-Correlation-Id header', example: 'c0ffee' })
  correlationId: string;
}

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input (VALIDATION_FAILED, UNKNOWN_ACTION, MALFORMED_JSON)',
  401: 'Missing or invalid credentials',
  403: 'Forbidden (e.g. a disabled integration)',
  404: 'Not found (or belongs to another account)',
  409: 'Conflict with the current state',
  429: 'Too many requests (RATE_LIMITED): nothing was accepted; retry after Retry-After seconds',
  413: 'Body over the limit (1 MiB; 5 MiB for the batch endpoint)',
  415: 'Body is not application/json',
  500: 'Unexpected error (no details are leaked)',
  503:
    'A dependency is unavailable; retry with backoff. QUEUE_UNAVAILABLE: Redis is unreachable ' +
    'and nothing was queued. QUEUE_OUTCOME_UNKNOWN: Redis did not answer in time, the message ' +
    'may have been queued: resend it with the same Idempotency-Key (queued once per key). ' +
    'STORE_UNAVAILABLE: the document store (MongoDB) is unreachable.',
};

/** One documented answer: a status and the codes it can carry, each shown as its own example. */
export interface ProblemSpec {
  status: number;
  examples: { code: ErrorCode; title: string; detail: string }[];
  /** Response headers this answer carries (e.g. Retry-After on a 429). */
  headers?: HeadersObject;
}

/** What each status answers when an operation names no codes of its own. */
const DEFAULT_EXAMPLES: Record<number, ProblemSpec['examples']> = {
  400: [
    {
      code: ErrorCode.ValidationFailed,
      title: 'Validation failed',
      detail: 'The request body is invalid.',
    },
  ],
  401: [
    {
      code: ErrorCode.InvalidManagementToken,
      title: 'Unauthorized',
      detail: 'Send a management token as `Authorization: Bearer <token>`.',
    },
  ],
  403: [{ code: ErrorCode.Forbidden, title: 'Forbidden', detail: 'This is not allowed.' }],
  404: [{ code: ErrorCode.NotFound, title: 'Not found', detail: 'Event 0d6c… was not found.' }],
  409: [
    {
      code: ErrorCode.Conflict,
      title: 'Conflict',
      detail: 'The request conflicts with the current state.',
    },
  ],
  413: [
    {
      code: ErrorCode.PayloadTooLarge,
      title: 'Payload too large',
      detail: 'The request body is larger than the 1 MiB limit.',
    },
  ],
  415: [
    {
      code: ErrorCode.UnsupportedMediaType,
      title: 'Unsupported media type',
      detail: 'Send the body as application/json.',
    },
  ],
  500: [
    {
      code: ErrorCode.Internal,
      title: 'Internal server error',
      detail: 'An unexpected error occurred.',
    },
  ],
  503: [
    {
      code: ErrorCode.QueueUnavailable,
      title: 'Service unavailable',
      detail: 'The message queue is unavailable; nothing was accepted. Retry with backoff.',
    },
  ],
};

/** The problem+json content of one status, with an example per code it can carry. */
export function problemContent(status: number, examples = DEFAULT_EXAMPLES[status] ?? []) {
  return {
    [PROBLEM_CONTENT_TYPE]: {
      schema: { $ref: getSchemaPath(ProblemDocument) },
      examples: Object.fromEntries(
        examples.map(({ code, title, detail }) => [
          code,
          {
            summary: code,
            value: {
              type: problemType(code),
              title,
              status,
              detail,
              code,
              errors: [],
              correlationId: 'c0ffee',
            },
          },
        ]),
      ),
    },
  };
}

/**
 * Documents the problem+json answers an operation (or every operation of a controller) can give:
 * a bare status gets that status's usual example, a ProblemSpec its own codes.
 */
export function ApiProblemResponses(...statuses: (number | ProblemSpec)[]) {
  return applyDecorators(
    ApiExtraModels(ProblemDocument),
    ...statuses.map((entry) => {
      const spec = typeof entry === 'number' ? { status: entry } : entry;
      return ApiResponse({
        status: spec.status,
        description: DESCRIPTIONS[spec.status] ?? 'Error',
        content: problemContent(spec.status, 'examples' in spec ? spec.examples : undefined),
        ...('headers' in spec && spec.headers && { headers: spec.headers }),
      });
    }),
  );
}
