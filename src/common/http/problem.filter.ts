import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { codeForStatus, DomainError, ErrorCode, FieldError, isStoreUnavailable } from '../errors';
import { Problem, PROBLEM_CONTENT_TYPE, problemType } from './problem';
import { CORRELATION_HEADER } from './correlation';

interface FastifyLikeError {
  code?: string;
  statusCode?: number;
  message?: string;
}

const FASTIFY_ERRORS: Record<string, { status: number; code: ErrorCode; detail: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: {
    status: 413,
    code: ErrorCode.PayloadTooLarge,
    detail: 'The request body is larger than the limit (1 MiB; 5 MiB for the batch endpoint).',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: ErrorCode.UnsupportedMediaType,
    detail: 'Send the body as application/json.',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    status: 400,
    code: ErrorCode.MalformedJson,
    detail: 'The body is empty; send a JSON object.',
  },
  FST_ERR_CTP_INVALID_JSON_BODY: {
    status: 400,
    code: ErrorCode.MalformedJson,
    detail: 'The body is not valid JSON.',
  },
};

/** Turns every error into RFC 9457 problem+json; unknown errors become a bare 500. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const request = ctx.getRequest<FastifyRequest>();
    const reply = ctx.getResponse<FastifyReply>();
    const correlationId = String(request.id);
    const problem = this.toProblem(exception, correlationId);
    if (problem.status >= 500 && problem.code === ErrorCode.Internal) {
      this.logger.error(
        { err: exception, correlationId, path: request.url },
        'Unhandled error while serving a request',
      );
    } else if (problem.status >= 500) {
      // Expected outages (Redis unreachable…): one line each, also where no request log is kept.
      this.logger.warn(
        { code: problem.code, correlationId, path: request.url, status: problem.status },
        problem.detail,
      );
    }
    void reply
      .status(problem.status)
      .header('content-type', PROBLEM_CONTENT_TYPE)
      .header(CORRELATION_HEADER, correlationId)
      .send(problem);
  }

  toProblem(exception: unknown, correlationId: string): Problem {
    const build = (
      status: number,
      code: string,
      title: string,
      detail: string,
      errors: FieldError[] = [],
    ): Problem => ({ type: problemType(code), title, status, detail, code, errors, correlationId });

    if (exception instanceof DomainError) {
      return build(
        exception.status,
        exception.code,
        exception.title ?? titleFor(exception.status),
        exception.message,
        exception.errors,
      );
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      const detail =
        typeof response === 'object' && response && 'message' in response
          ? [response.message].flat().join('; ')
          : exception.message;
      return build(status, codeForStatus(status), titleFor(status), detail);
    }
    if (isStoreUnavailable(exception)) {
      return build(
        503,
        ErrorCode.StoreUnavailable,
        titleFor(503),
        'The document store is unavailable. Retry with backoff.',
      );
    }
    const fastifyError = exception as FastifyLikeError;
    const known = fastifyError?.code ? FASTIFY_ERRORS[fastifyError.code] : undefined;
    if (known) return build(known.status, known.code, titleFor(known.status), known.detail);
    if (exception instanceof SyntaxError || fastifyError?.statusCode === 400) {
      return build(400, ErrorCode.MalformedJson, 'Bad request', 'The body is not valid JSON.');
    }
    return build(500, ErrorCode.Internal, 'Internal server error', 'An unexpected error occurred.');
  }
}

function titleFor(status: number): string {
  const titles: Record<number, string> = {
    400: 'Bad request',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not found',
    405: 'Method not allowed',
    409: 'Conflict',
    413: 'Payload too large',
    415: 'Unsupported media type',
    429: 'Too many requests',
    503: 'Service unavailable',
  };
  return titles[status] ?? (status >= 500 ? 'Internal server error' : 'Error');
}
