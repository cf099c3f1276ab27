import { SignJWT, UnsecuredJWT } from 'jose';
import { ErrorCode, UnauthorizedError } from '../../../common/errors';
import { checkRequestId, verifyWebhookToken } from './webhook-token';

const SECRET = 'seller-verification-token-0123456789';
const key = (secret = SECRET) => new TextEncoder().encode(secret);
const now = Math.floor(Date.now() / 1000);

function sign(payload: Record<string, unknown>, alg = 'HS256', secret = SECRET) {
  return new SignJWT(payload).setProtectedHeader({ alg, typ: 'JWT' }).sign(key(secret));
}

async function refusal(token: unknown): Promise<UnauthorizedError> {
  try {
    await verifyWebhookToken(token, SECRET);
  } catch (error) {
    if (error instanceof UnauthorizedError) return error;
    throw error;
  }
  throw new Error('the token was accepted');
}

describe('verifyWebhookToken', () => {
  it('accepts an HS256 token signed with the verification token and returns its payload', async () => {
    const token = await sign({ requestId: 'req-1', iat: now, exp: now + 300 });
    await expect(verifyWebhookToken(token, SECRET)).resolves.toMatchObject({ requestId: 'req-1' });
  });

  it.each([undefined, null, ''])('refuses a missing token (%p)', async (token) => {
    expect((await refusal(token)).code).toBe(ErrorCode.WebhookTokenMissing);
  });

  it('refuses a token that is not a string or not a JWT', async () => {
    expect((await refusal(42)).code).toBe(ErrorCode.WebhookTokenInvalid);
    expect((await refusal('not.a.jwt')).code).toBe(ErrorCode.WebhookTokenInvalid);
  });

  it('refuses alg none and every algorithm other than HS256', async () => {
    const none = new UnsecuredJWT({ requestId: 'req-1' }).encode();
    expect((await refusal(none)).code).toBe(ErrorCode.WebhookTokenAlgorithmRefused);
    for (const alg of ['HS384', 'HS512']) {
      const other = await sign({ requestId: 'req-1' }, alg);
      expect((await refusal(other)).code).toBe(ErrorCode.WebhookTokenAlgorithmRefused);
    }
  });

  it('refuses a token signed with another secret, or whose payload was changed', async () => {
    const wrong = await sign({ requestId: 'req-1' }, 'HS256', 'someone-elses-token-0123456789');
    expect((await refusal(wrong)).code).toBe(ErrorCode.WebhookSignatureInvalid);
    const [header, , signature] = (await sign({ requestId: 'req-1' })).split('.');
    const forged = Buffer.from(JSON.stringify({ requestId: 'req-2' })).toString('base64url');
    expect((await refusal(`${header}.${forged}.${signature}`)).code).toBe(
      ErrorCode.WebhookSignatureInvalid,
    );
  });

  it('enforces exp and nbf with a small leeway', async () => {
    const expired = await sign({ requestId: 'r', exp: now - 120 });
    expect((await refusal(expired)).code).toBe(ErrorCode.WebhookTokenExpired);
    const early = await sign({ requestId: 'r', nbf: now + 120 });
    expect((await refusal(early)).code).toBe(ErrorCode.WebhookTokenNotYetValid);
    const justExpired = await sign({ requestId: 'r', exp: now - 5 });
    await expect(verifyWebhookToken(justExpired, SECRET)).resolves.toBeDefined();
  });
});

describe('checkRequestId', () => {
  it("passes when the payload's requestId is the body's (either claim spelling)", () => {
    expect(() => checkRequestId({ requestId: 'req-1' }, 'req-1')).not.toThrow();
    expect(() => checkRequestId({ RequestId: 'req-1' }, 'req-1')).not.toThrow();
  });

  it('refuses a different or missing requestId', () => {
    for (const payload of [{ requestId: 'req-2' }, {}, { requestId: 1 }]) {
      expect(() => checkRequestId(payload, 'req-1')).toThrow(
        expect.objectContaining({ code: ErrorCode.WebhookRequestIdMismatch }),
      );
    }
  });
});
