import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ErrorCode, UnauthorizedError } from '../../../common/errors';
import { ManagementPrincipal, ManagementTokenService } from './management-token.service';
import { bearerToken } from './bearer';

export type ManagementRequest = FastifyRequest & { principal?: ManagementPrincipal };

/** Protects the management API: a valid management token, and every query scoped to its account. */
@Injectable()
export class ManagementAuthGuard implements CanActivate {
  constructor(private readonly tokens: ManagementTokenService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<ManagementRequest>();
    const token = bearerToken(request.headers.authorization);
    if (!token) {
      throw new UnauthorizedError(
        ErrorCode.InvalidManagementToken,
        'Send a management token as `Authorization: Bearer <token>`.',
      );
    }
    request.principal = await this.tokens.verify(token);
    return true;
  }
}
