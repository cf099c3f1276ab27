import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { ManagementRequest } from './management-auth.guard';
import type { ManagementPrincipal } from './management-token.service';

/** The management principal set by ManagementAuthGuard. */
export const Principal = createParamDecorator(
  (_: unknown, context: ExecutionContext): ManagementPrincipal => {
    const principal = context.switchToHttp().getRequest<ManagementRequest>().principal;
    if (!principal) throw new Error('Principal used on a route without ManagementAuthGuard');
    return principal;
  },
);
