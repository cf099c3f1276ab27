import { Injectable } from '@nestjs/common';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { Env } from '../../../config/env';
import { ErrorCode, UnauthorizedError } from '../../../common/errors';

export interface ManagementPrincipal {
  sub: string;
  accountId: string;
  /** `operator` may see across accounts (Bull Board); absent for ordinary account users. */
  roles?: string[];
}

export const OPERATOR_ROLE = 'operator';

export function isOperator(principal: ManagementPrincipal): boolean {
  return principal.roles?.includes(OPERATOR_ROLE) ?? false;
}

const ALGORITHM = 'HS256';

/** Management tokens: JWTs signed HS256 with MANAGEMENT_JWT_SECRET; no other algorithm is accepted. */
@Injectable()
export class ManagementTokenService {
  private readonly key: Uint8Array;

  constructor(env: Env) {
    this.key = new TextEncoder().encode(env.MANAGEMENT_JWT_SECRET);
  }

  async verify(token: string): Promise<ManagementPrincipal> {
    try {
      const { payload } = await jwtVerify(token, this.key, { algorithms: [ALGORITHM] });
      if (typeof payload.sub !== 'string' || typeof payload.accountId !== 'string') {
        throw new Error('claims sub and accountId are required');
      }
      const roles = Array.isArray(payload.roles)
        ? payload.roles.filter((role): role is string => typeof role === 'string')
        : [];
      return { sub: payload.sub, accountId: payload.accountId, roles };
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) {
        const at =
          typeof error.payload.exp === 'number' ? new Date(error.payload.exp * 1000) : null;
        throw new UnauthorizedError(
          ErrorCode.ManagementTokenExpired,
          `The management token expired${at ? ` at ${at.toISOString()}` : ''}; sign in with a new one (npm run token -- --account <id>).`,
        );
      }
      throw new UnauthorizedError(
        ErrorCode.InvalidManagementToken,
        `The management token is not valid: ${(error as Error).message}.`,
      );
    }
  }

  sign(principal: ManagementPrincipal, expiresIn = '12h'): Promise<string> {
    return signManagementToken(this.key, principal, expiresIn);
  }
}

export function signManagementToken(
  key: Uint8Array,
  principal: ManagementPrincipal,
  expiresIn: string | number,
): Promise<string> {
  const claims = principal.roles?.length
    ? { accountId: principal.accountId, roles: principal.roles }
    : { accountId: principal.accountId };
  return new SignJWT(claims)
    .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
    .setSubject(principal.sub)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(key);
}
