import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Webhook } from 'standardwebhooks';
import { Agent, request } from 'undici';
import { Env } from '../../../config/env';
import { parseRetryAfter } from '../../../common/remote';
import type { DeliveryResponse } from './notification-delivery.schema';
import { publicOnlyLookup } from './url-policy';

const BODY_EXCERPT_CHARS = 1000;
export const USER_AGENT = 'avvyr-integrations-notifications/1';

export interface SendOutcome {
  ok: boolean;
  response: DeliveryResponse;
  retryAfterMs?: number;
}

/**
 * Sends one Standard Webhooks delivery: the JSON body signed with `webhook-id`,
 * `webhook-timestamp` and `webhook-signature` (`v1,<HMAC-SHA256>`), by the `standardwebhooks`
 * package. A 2xx is success; anything else, a timeout or a refused connection is a failure the
 * queue retries. Redirects are not followed. Outside local runs the socket only connects to
 * public addresses (`publicOnlyLookup`).
 */
@Injectable()
export class WebhookSender implements OnApplicationShutdown {
  private readonly agent: Agent;

  constructor(private readonly env: Env) {
    this.agent = new Agent({
      connections: 16,
      keepAliveTimeout: 10_000,
      connect: env.notificationsAllowHttp ? {} : { lookup: publicOnlyLookup },
    });
  }

  async send(
    url: string,
    secret: string,
    webhookId: string,
    payload: Record<string, unknown>,
  ): Promise<SendOutcome> {
    const body = JSON.stringify(payload);
    const now = new Date();
    const signature = new Webhook(secret).sign(webhookId, now, body);
    const started = Date.now();
    const timeout = this.env.NOTIFICATIONS_TIMEOUT_MS;
    try {
      const response = await request(url, {
        method: 'POST',
        dispatcher: this.agent,
        headers: {
          'content-type': 'application/json',
          'user-agent': USER_AGENT,
          'webhook-id': webhookId,
          'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
          'webhook-signature': signature,
        },
        body,
        headersTimeout: timeout,
        bodyTimeout: timeout,
        signal: AbortSignal.timeout(timeout),
      });
      const text = await excerpt(response.body);
      const ok = response.statusCode >= 200 && response.statusCode < 300;
      const retryAfter = response.headers['retry-after'];
      return {
        ok,
        response: {
          status: response.statusCode,
          body: text,
          at: new Date(),
          durationMs: Date.now() - started,
        },
        retryAfterMs: ok
          ? undefined
          : parseRetryAfter(Array.isArray(retryAfter) ? retryAfter[0] : (retryAfter ?? null)),
      };
    } catch (error) {
      const message = (error as Error).message;
      const timedOut = /timeout|aborted/i.test(`${(error as Error).name} ${message}`);
      return {
        ok: false,
        response: {
          error: timedOut ? `no answer within ${timeout} ms` : `could not connect: ${message}`,
          at: new Date(),
          durationMs: Date.now() - started,
        },
      };
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.agent.close();
  }
}

/** The start of an answer's body; the rest is not read (a receiver may answer a lot). */
async function excerpt(body: AsyncIterable<Buffer> & { destroy(): void }): Promise<string> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    length += chunk.length;
    if (length >= BODY_EXCERPT_CHARS * 4) break;
  }
  if (length >= BODY_EXCERPT_CHARS * 4) body.destroy();
  return Buffer.concat(chunks).toString('utf8').slice(0, BODY_EXCERPT_CHARS);
}
