import { Injectable } from '@nestjs/common';
import { decodeJwt } from 'jose';
import { ErrorCode, ForbiddenError } from '../../common/errors';
import { isOperator, ManagementPrincipal, ManagementTokenService } from '../integrations';

export const BOARD_PATH = '/queues';
export const BOARD_SIGN_IN_PATH = `${BOARD_PATH}/sign-in`;
export const BOARD_COOKIE = 'avvyr_queues_session';
/** A board session never outlives its token, nor half a day. */
const MAX_SESSION_SECONDS = 12 * 3600;

/**
 * The board's session is the management token itself, kept in an httpOnly, SameSite=Strict
 * cookie scoped to /queues and verified on every request: nothing to store server-side, and a
 * session ends when its token expires.
 */
@Injectable()
export class BoardSession {
  constructor(private readonly tokens: ManagementTokenService) {}

  /**
   * The principal of a valid operator token; throws the management token's 401 otherwise, and a
   * 403 for a valid token without the operator role: the board shows every account's jobs.
   */
  async verify(token: string): Promise<ManagementPrincipal> {
    const principal = await this.tokens.verify(token);
    if (!isOperator(principal)) {
      throw new ForbiddenError(
        ErrorCode.OperatorRoleRequired,
        "Bull Board shows every account's jobs: sign in with an operator token " +
          '(npm run token -- --account <id> --operator).',
      );
    }
    return principal;
  }

  /** The principal of the request's session cookie, or undefined when there is no valid one. */
  async principalOf(cookieHeader: string | undefined): Promise<ManagementPrincipal | undefined> {
    const token = readCookie(cookieHeader, BOARD_COOKIE);
    if (!token) return undefined;
    return this.verify(token).catch(() => undefined);
  }

  cookieFor(token: string, secure: boolean): string {
    const { exp } = decodeJwt(token);
    const untilExpiry = exp ? exp - Math.floor(Date.now() / 1000) : MAX_SESSION_SECONDS;
    const maxAge = Math.max(0, Math.min(untilExpiry, MAX_SESSION_SECONDS));
    return serializeCookie(encodeURIComponent(token), maxAge, secure);
  }

  clearedCookie(secure: boolean): string {
    return serializeCookie('', 0, secure);
  }
}

function serializeCookie(value: string, maxAge: number, secure: boolean): string {
  const attributes = [`Path=${BOARD_PATH}`, `Max-Age=${maxAge}`, 'HttpOnly', 'SameSite=Strict'];
  if (secure) attributes.push('Secure');
  return [`${BOARD_COOKIE}=${value}`, ...attributes].join('; ');
}

/** One cookie's value from a Cookie header (RFC 6265 `name=value; name2=value2`). */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const pair of (header ?? '').split(';')) {
    const separator = pair.indexOf('=');
    if (separator > 0 && pair.slice(0, separator).trim() === name) {
      try {
        return decodeURIComponent(pair.slice(separator + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}
