import { randomBytes, randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import mongoose from 'mongoose';
import { SignJWT } from 'jose';
import { notificationMessageId, NotificationKind } from '../../src/modules/avasam';
import type { Api } from './api';
import { http, waitFor } from './http';
import { queuePrefix } from '../../src/config/redis';

export interface WiredSeller {
  integrationId: string;
  consumerKey: string;
  secretKey: string;
  verificationToken: string;
  stockUpdateUrl: string;
  priceUpdateUrl: string;
}

/** A seller's Avasam set-up as the README describes it, against the service's sandboxes. */
export class AvasamWorld {
  constructor(readonly api: Api) {}

  get base(): string {
    return this.api.service.url;
  }

  createIntegration(settings: Record<string, unknown>, extra: Record<string, unknown> = {}) {
    return this.api.createIntegration({ service: 'avasam', name: 'Avasam', settings, ...extra });
  }

  integration(id: string) {
    return http(`${this.base}/v1/integrations/${id}`, { token: this.api.managementToken });
  }

  patchIntegration(id: string, body: Record<string, unknown>) {
    return http(`${this.base}/v1/integrations/${id}`, {
      method: 'PATCH',
      token: this.api.managementToken,
      body,
    });
  }

  /** Keys from the Avasam sandbox, an integration with them, the URLs pasted back into Avasam. */
  async wire(settings: Record<string, unknown> = {}, seller: Record<string, unknown> = {}) {
    const keys = await http(`${this.base}/sandbox/avasam/sellers`, { body: seller });
    if (keys.status !== 201) throw new Error(`seller: ${JSON.stringify(keys.body)}`);
    const verificationToken = `vt-${randomBytes(16).toString('hex')}`;
    const created = await this.createIntegration({
      consumerKey: keys.body.consumerKey,
      secretKey: keys.body.secretKey,
      verificationToken,
      ...settings,
    });
    if (created.status !== 201) throw new Error(`integration: ${JSON.stringify(created.body)}`);
    const { stockUpdateUrl, priceUpdateUrl } = created.body.settings;
    const pasted = await http(`${this.base}/sandbox/avasam/sellers/${keys.body.consumerKey}`, {
      method: 'PATCH',
      body: { verificationToken, stockUpdateUrl, priceUpdateUrl },
    });
    if (pasted.status !== 200) throw new Error(`paste: ${JSON.stringify(pasted.body)}`);
    return {
      integrationId: created.body.id as string,
      consumerKey: keys.body.consumerKey as string,
      secretKey: keys.body.secretKey as string,
      verificationToken,
      stockUpdateUrl: stockUpdateUrl as string,
      priceUpdateUrl: priceUpdateUrl as string,
    } satisfies WiredSeller;
  }

  /** Avasam's "test" button in the sandbox: a signed notification to the seller's endpoint. */
  async pressTest(
    seller: WiredSeller,
    body: { kind?: NotificationKind; requestId?: string; data?: unknown[] } = {},
  ) {
    const pressed = await http(
      `${this.base}/sandbox/avasam/sellers/${seller.consumerKey}/test-button`,
      { body: { requestId: randomUUID(), ...body } },
    );
    if (pressed.status !== 200) throw new Error(`test button: ${JSON.stringify(pressed.body)}`);
    return pressed.body as { url: string; requestId: string; status: number; response: any };
  }

  /** A notification built by hand, to send what Avasam would not. */
  post(url: string, body: unknown) {
    return http(url, { body });
  }

  sign(payload: Record<string, unknown>, secret: string, alg = 'HS256'): Promise<string> {
    return new SignJWT(payload)
      .setProtectedHeader({ alg, typ: 'JWT' })
      .setIssuedAt()
      .sign(new TextEncoder().encode(secret));
  }

  messageId(seller: WiredSeller, kind: NotificationKind, requestId: string): string {
    return notificationMessageId(seller.integrationId, kind, requestId);
  }

  sandboxState() {
    return http(`${this.base}/sandbox/avasam/state`).then((r) => r.body);
  }

  injectFault(fault: { action?: string; status: number; times: number }) {
    return http(`${this.base}/sandbox/avasam/faults`, { body: fault });
  }

  expireTokens(seller: WiredSeller) {
    return http(`${this.base}/sandbox/avasam/sellers/${seller.consumerKey}/expire-tokens`, {
      method: 'POST',
    });
  }

  acknowledgements(requestId: string) {
    return this.sandboxState().then((state) =>
      state.acknowledgements.filter((a: any) => a.requestId === requestId),
    );
  }

  async waitForStep(messageId: string, step: string) {
    const found = await waitFor(
      () => this.api.event(messageId),
      (r) => r.status === 200 && r.body.timeline.some((s: any) => s.step === step),
      { what: `event ${messageId} to have a ${step} step` },
    );
    return found.body;
  }

  /** Jobs of the avasam queue, read straight from Redis. */
  async queueCounts(): Promise<Record<string, number>> {
    const { env } = this.api.service;
    const queue = new Queue('avasam', {
      connection: { url: env.REDIS_URL },
      prefix: queuePrefix(env),
    });
    try {
      return await queue.getJobCounts();
    } finally {
      await queue.close();
    }
  }

  /** Documents of one collection of the service's database. */
  async count(collection: string, filter: Record<string, unknown> = {}): Promise<number> {
    const connection = await mongoose
      .createConnection(this.api.service.env.MONGODB_URI)
      .asPromise();
    try {
      return await connection.collection(collection).countDocuments(filter);
    } finally {
      await connection.close();
    }
  }
}

export const iso = (offsetMs = 0) => new Date(Date.now() + offsetMs).toISOString();
