import { applyDecorators } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  ApiSchema,
  getSchemaPath,
} from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE } from './problem';

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
  413: 'Body over the limit (1 MiB; 5 MiB for the batch endpoint)',
  415: 'Body is not application/json',
  500: 'Unexpected error (no details are leaked)',
  503:
    'A dependency is unavailable; retry with backoff. QUEUE_UNAVAILABLE: Redis is unreachable ' +
    'and nothing was queued. QUEUE_OUTCOME_UNKNOWN: Redis did not answer in time, the message ' +
    'may have been queued: resend it with the same Idempotency-Key (queued once per key). ' +
    'STORE_UNAVAILABLE: the document store (MongoDB) is unreachable.',
};

/** Documents the problem+json answers an operation (or every operation of a controller) can give. */
export function ApiProblemResponses(...statuses: number[]) {
  return applyDecorators(
    ApiExtraModels(ProblemDocument),
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: DESCRIPTIONS[status] ?? 'Error',
        content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemDocument) } } },
      }),
    ),
  );
}
