import { Injectable } from '@nestjs/common';
import { Agent, request } from 'undici';
import { Env } from '../../../config/env';
import { isRetryableStatus, parseRetryAfter, RemoteCallError } from '../../../common/remote';
import { parseAvasamDate } from '../notifications/avasam-date';
import type { AvasamApiKeys } from '../settings/avasam-secrets';
import { AvasamToken, AvasamTokenCache } from './avasam-token.cache';

export const TOKEN_PATH = 'api/auth/request-token';
export const STOCK_ACKNOWLEDGEMENT_PATH = 'api-seller/Product/AcknowledgeStockUpdate';
const TIMEOUT_MS = 10_000;

interface Answer {
  status: number;
  body: unknown;
  retryAfterMs?: number;
}

/**
 * Avasam's seller API as this service uses it (DESIGN.md "Avasam"): a token from the consumer and
 * secret keys, sent back as a raw `Authorization: <access_token>` header (no "Bearer"), cached
 * until `expires_at` and refreshed once when Avasam answers 401. Failures are RemoteCallErrors:
 * 408/425/429/5xx/network retry, other 4xx are permanent.
 */
@Injectable()
export class AvasamApiClient {
  private readonly baseUrl: string;
  private readonly agent = new Agent({ connections: 16, keepAliveTimeout: 30_000 });
  private readonly tokens = new AvasamTokenCache();

  constructor(env: Env) {
    this.baseUrl = env.avasamApiUrl.replace(/\/$/, '');
  }

  /** POSTs `{requestId}` to an acknowledgement endpoint (AcknowledgeStockUpdate, …). */
  acknowledge(keys: AvasamApiKeys, path: string, requestId: string): Promise<unknown> {
    return this.authorizedPost(keys, path, { requestId });
  }

  private async authorizedPost(keys: AvasamApiKeys, path: string, body: object) {
    const token = await this.token(keys);
    const first = await this.post(path, body, token.accessToken);
    if (first.status !== 401) return settle(path, first);
    // Revoked or expired earlier than announced: one fresh token, one more try.
    this.tokens.discard(keys.fingerprint, token);
    const fresh = await this.token(keys);
    return settle(path, await this.post(path, body, fresh.accessToken));
  }

  private token(keys: AvasamApiKeys): Promise<AvasamToken> {
    return this.tokens.get(keys.fingerprint, () => this.requestToken(keys));
  }

  private async requestToken(keys: AvasamApiKeys): Promise<AvasamToken> {
    const answer = await this.post(TOKEN_PATH, {
      consumer_key: keys.consumerKey,
      secret_key: keys.secretKey,
    });
    if ([400, 401, 403].includes(answer.status)) {
      throw new RemoteCallError(
        'AVASAM_AUTH_FAILED',
        `Avasam refused the consumer key and secret key (${answer.status}); check them in the integration settings`,
        false,
        answer.status,
        answer.body,
      );
    }
    const body = settle(TOKEN_PATH, answer) as { access_token?: unknown; expires_at?: unknown };
    if (typeof body?.access_token !== 'string' || !body.access_token) {
      throw new RemoteCallError(
        'AVASAM_TOKEN_INVALID',
        'Avasam answered the token request without an access_token',
        true,
        answer.status,
        answer.body,
      );
    }
    return { accessToken: body.access_token, expiresAt: parseAvasamDate(body.expires_at) };
  }

  private async post(path: string, body: object, accessToken?: string): Promise<Answer> {
    const label = `POST ${path}`;
    let response: Awaited<ReturnType<typeof request>>;
    try {
      response = await request(`${this.baseUrl}/${path}`, {
        method: 'POST',
        dispatcher: this.agent,
        headers: {
          'content-type': 'application/json',
          ...(accessToken && { authorization: accessToken }),
        },
        body: JSON.stringify(body),
        headersTimeout: TIMEOUT_MS,
        bodyTimeout: TIMEOUT_MS,
      });
    } catch (error) {
      const timedOut = /timeout/i.test((error as Error).name + (error as Error).message);
      throw new RemoteCallError(
        timedOut ? 'AVASAM_TIMEOUT' : 'AVASAM_UNREACHABLE',
        `Avasam ${label} ${timedOut ? 'timed out' : 'could not be reached'}: ${(error as Error).message}`,
        true,
      );
    }
    const text = await response.body.text();
    const retryAfter = response.headers['retry-after'];
    return {
      status: response.statusCode,
      body: parseBody(text),
      retryAfterMs: parseRetryAfter(
        Array.isArray(retryAfter) ? retryAfter[0] : (retryAfter ?? null),
      ),
    };
  }
}

function settle(path: string, answer: Answer): unknown {
  if (answer.status >= 200 && answer.status < 300) return answer.body;
  throw new RemoteCallError(
    `AVASAM_HTTP_${answer.status}`,
    `Avasam POST ${path} answered ${answer.status}`,
    isRetryableStatus(answer.status),
    answer.status,
    answer.body,
    answer.retryAfterMs,
  );
}

function parseBody(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text.slice(0, 2000);
  }
}
