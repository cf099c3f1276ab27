import { Injectable } from '@nestjs/common';
import { Agent, request } from 'undici';
import { Env } from '../../config/env';
import { isRetryableStatus, parseRetryAfter, RemoteCallError } from '../../common/remote';
import {
  AvvyrCallContext,
  AvvyrClient,
  InventoryAdjustment,
  InventoryLevel,
  PriceItem,
} from './avvyr-client.port';

type Method = 'POST' | 'PUT' | 'PATCH';

/** HTTP adapter of AvvyrClient: bearer token, Idempotency-Key = messageId, keep-alive pool. */
@Injectable()
export class HttpAvvyrClient extends AvvyrClient {
  private readonly baseUrl: string;
  private readonly agent = new Agent({ connections: 64, keepAliveTimeout: 30_000 });

  constructor(private readonly env: Env) {
    super();
    this.baseUrl = env.avvyrApiUrl.replace(/\/$/, '');
  }

  setInventoryLevels(items: InventoryLevel[], ctx: AvvyrCallContext) {
    return this.call('PUT', '/v1/inventory/levels', { items }, ctx);
  }
  adjustInventory(items: InventoryAdjustment[], ctx: AvvyrCallContext) {
    return this.call('POST', '/v1/inventory/adjustments', { items }, ctx);
  }
  createOrder(order: object, ctx: AvvyrCallContext) {
    return this.call('POST', '/v1/orders', order, ctx);
  }
  updateOrder(orderId: string, changes: object, ctx: AvvyrCallContext) {
    return this.call('PATCH', `/v1/orders/${encodeURIComponent(orderId)}`, changes, ctx);
  }
  upsertProducts(products: object[], ctx: AvvyrCallContext) {
    return this.call('PUT', '/v1/products', { products }, ctx);
  }
  setPrices(items: PriceItem[], ctx: AvvyrCallContext) {
    return this.call('PUT', '/v1/prices', { items }, ctx);
  }
  upsertCustomer(customer: object, ctx: AvvyrCallContext) {
    return this.call('PUT', '/v1/customers', customer, ctx);
  }

  private async call(method: Method, path: string, body: unknown, ctx: AvvyrCallContext) {
    const label = `${method} ${path}`;
    let response: Awaited<ReturnType<typeof request>>;
    try {
      response = await request(this.baseUrl + path, {
        method,
        dispatcher: this.agent,
        headers: {
          authorization: `Bearer ${this.env.AVVYR_API_TOKEN}`,
          'content-type': 'application/json',
          'idempotency-key': ctx.messageId,
          'x-avvyr-account-id': ctx.accountId,
          'x-correlation-id': ctx.correlationId,
        },
        body: JSON.stringify(body),
        headersTimeout: this.env.AVVYR_TIMEOUT_MS,
        bodyTimeout: this.env.AVVYR_TIMEOUT_MS,
      });
    } catch (error) {
      const timedOut = /timeout/i.test((error as Error).name + (error as Error).message);
      throw new RemoteCallError(
        timedOut ? 'AVVYR_TIMEOUT' : 'AVVYR_UNREACHABLE',
        `Avvyr backend ${label} ${timedOut ? 'timed out' : 'could not be reached'}: ${(error as Error).message}`,
        true,
      );
    }
    const text = await response.body.text();
    const parsed = parseBody(text);
    if (response.statusCode >= 200 && response.statusCode < 300) return parsed;
    const retryAfter = response.headers['retry-after'];
    throw new RemoteCallError(
      `AVVYR_HTTP_${response.statusCode}`,
      `Avvyr backend ${label} answered ${response.statusCode}${describe(parsed)}`,
      isRetryableStatus(response.statusCode),
      response.statusCode,
      parsed,
      parseRetryAfter(Array.isArray(retryAfter) ? retryAfter[0] : (retryAfter ?? null)),
    );
  }
}

function parseBody(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text.slice(0, 2000);
  }
}

function describe(body: unknown): string {
  if (body && typeof body === 'object') {
    const detail =
      (body as { detail?: unknown; message?: unknown }).detail ??
      (body as { message?: unknown }).message;
    if (typeof detail === 'string') return `: ${detail}`;
  }
  return '';
}
