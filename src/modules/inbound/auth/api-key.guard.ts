import { ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { ErrorCode, ForbiddenError, UnauthorizedError } from '../../../common/errors';
import type { IntegrationView } from '../../integrations';
import { API_KEY_STRATEGY } from './api-key.strategy';

/** 401 without a valid key; 403 for a disabled integration or one that is not `custom`. */
@Injectable()
export class ApiKeyGuard extends AuthGuard(API_KEY_STRATEGY) {
  canActivate(context: ExecutionContext) {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    // passport-http-bearer also reads ?access_token=, which would leak keys into access logs.
    if ((request.query as Record<string, unknown> | undefined)?.access_token !== undefined) {
      throw new UnauthorizedError(
        ErrorCode.InvalidApiKey,
        'Send the API key in the Authorization header, never in the URL.',
      );
    }
    return super.canActivate(context);
  }

  handleRequest<T = IntegrationView>(error: unknown, integration: IntegrationView | false): T {
    if (error) throw error instanceof Error ? error : new Error('Unknown error', { cause: error });
    if (!integration) {
      throw new UnauthorizedError(
        ErrorCode.InvalidApiKey,
        'Missing or unknown API key. Send `Authorization: Bearer <api-key>`.',
      );
    }
    if (!integration.enabled) {
      throw new ForbiddenError(ErrorCode.IntegrationDisabled, 'This integration is disabled.');
    }
    if (integration.service !== 'custom') {
      throw new ForbiddenError(
        ErrorCode.IntegrationServiceMismatch,
        `This key belongs to a ${integration.service} integration; the inbound API takes custom integration keys only.`,
      );
    }
    return integration as T;
  }
}
