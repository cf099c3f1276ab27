import { errors as joseErrors, JWTPayload, jwtVerify } from 'jose';
import { ErrorCode, UnauthorizedError } from '../../../common/errors';

/** The only algorithm accepted: Avasam signs with HS256 and the seller's verification token. */
export const WEBHOOK_ALGORITHM = 'HS256';
/** Clock skew allowed on `exp` and `nbf` between Avasam and us. */
export const WEBHOOK_CLOCK_TOLERANCE_SECONDS = 30;

/**
 * Verifies a notification's `token`: HS256 only (`none` and every other algorithm are refused
 * before the signature is looked at), signed with the verification token, `exp`/`nbf` enforced
 * when present. Each failure has its own code, so a seller can tell what is wrong.
 */
export async function verifyWebhookToken(
  token: unknown,
  verificationToken: string,
  currentDate?: Date,
): Promise<JWTPayload> {
  if (token === undefined || token === null || token === '') {
    throw refused(ErrorCode.WebhookTokenMissing, 'The notification has no token.');
  }
  if (typeof token !== 'string') {
    throw refused(ErrorCode.WebhookTokenInvalid, 'The token must be a JWT string.');
  }
  try {
    const { payload } = await jwtVerify(token, new TextEncoder().encode(verificationToken), {
      algorithms: [WEBHOOK_ALGORITHM],
      clockTolerance: WEBHOOK_CLOCK_TOLERANCE_SECONDS,
      currentDate,
    });
    return payload;
  } catch (error) {
    throw refusalFor(error);
  }
}

/** The token proves the requestId: the body's must be the one the payload was signed with. */
export function checkRequestId(payload: JWTPayload, requestId: string): void {
  // .NET serialisers may write the claim in PascalCase; the value is what must match.
  const signed = payload.requestId ?? payload.RequestId;
  if (typeof signed !== 'string' || signed !== requestId) {
    throw refused(
      ErrorCode.WebhookRequestIdMismatch,
      typeof signed === 'string'
        ? "The body's requestId is not the one the token was signed for."
        : 'The token payload carries no requestId.',
    );
  }
}

function refusalFor(error: unknown): UnauthorizedError {
  if (error instanceof joseErrors.JOSEAlgNotAllowed) {
    return refused(
      ErrorCode.WebhookTokenAlgorithmRefused,
      `The token's algorithm is refused; only ${WEBHOOK_ALGORITHM} is accepted.`,
    );
  }
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) {
    return refused(
      ErrorCode.WebhookSignatureInvalid,
      "The token's signature does not match this integration's verification token.",
    );
  }
  if (error instanceof joseErrors.JWTExpired) {
    return refused(ErrorCode.WebhookTokenExpired, 'The token has expired.');
  }
  if (error instanceof joseErrors.JWTClaimValidationFailed && error.claim === 'nbf') {
    return refused(ErrorCode.WebhookTokenNotYetValid, 'The token is not valid yet (nbf).');
  }
  return refused(
    ErrorCode.WebhookTokenInvalid,
    `The token is not a valid JWT: ${(error as Error).message}.`,
  );
}

function refused(code: ErrorCode, message: string): UnauthorizedError {
  return new UnauthorizedError(code, message);
}
