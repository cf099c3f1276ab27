import { Injectable } from '@nestjs/common';
import { jwtVerify, SignJWT } from 'jose';
import { Env } from '../../../config/env';
import { ErrorCode, UnauthorizedError } from '../../../common/errors';

export interface ManagementPrincipal {
  sub: string;
  accountId: string;
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
      return { sub: payload.sub, accountId: payload.accountId };
    } catch (error) {
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
  expiresIn: string,
): Promise<string> {
  return new SignJWT({ accountId: principal.accountId })
    .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
    .setSubject(principal.sub)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(key);
}
