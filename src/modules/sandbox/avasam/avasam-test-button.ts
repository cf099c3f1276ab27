import { ConflictException, Injectable } from '@nestjs/common';
import { SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';
import { AcknowledgementKind, AvasamSandboxState, SandboxSeller } from './avasam-sandbox.state';

const SEND_TIMEOUT_MS = 15_000;
const TOKEN_LIFETIME = '5m';

export interface TestButtonResult {
  url: string;
  requestId: string;
  /** What the seller's endpoint answered; null when it could not be reached. */
  status: number | null;
  response: unknown;
}

/**
 * What Avasam does when a seller presses "test" (or a sourced product changes): POST a
 * notification to the configured endpoint, its `token` a JWT signed HS256 with the seller's
 * verification token and carrying the requestId.
 */
@Injectable()
export class AvasamTestButton {
  constructor(private readonly state: AvasamSandboxState) {}

  async press(
    seller: SandboxSeller,
    kind: AcknowledgementKind,
    requestId: string = randomUUID(),
    data?: Record<string, unknown>[],
  ): Promise<TestButtonResult> {
    const url = kind === 'stock' ? seller.stockUpdateUrl : seller.priceUpdateUrl;
    if (!url) throw new ConflictException(`Enter the ${kind} update endpoint first`);
    if (!seller.verificationToken)
      throw new ConflictException('Enter the verification token first');
    const now = new Date();
    const token = await new SignJWT({ requestId })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuedAt()
      .setExpirationTime(TOKEN_LIFETIME)
      .sign(new TextEncoder().encode(seller.verificationToken));
    const body = { requestId, on: now.toISOString(), token, data: data ?? sample(kind, now) };
    const { status, response } = await send(url, body);
    this.state.sent({
      kind,
      consumerKey: seller.consumerKey,
      url,
      requestId,
      at: now.toISOString(),
      status,
      response,
    });
    return { url, requestId, status, response };
  }
}

function sample(kind: AcknowledgementKind, now: Date): Record<string, unknown>[] {
  const updatedOn = now.toISOString();
  return kind === 'stock'
    ? [{ sku: 'AVASAM-SAMPLE-001', quantity: 7, updatedOn }]
    : [{ sku: 'AVASAM-SAMPLE-001', price: 12.5, updatedOn }];
}

async function send(
  url: string,
  body: object,
): Promise<{ status: number | null; response: unknown }> {
  try {
    const answer = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
    });
    const text = await answer.text();
    let response: unknown = text;
    try {
      response = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    return { status: answer.status, response };
  } catch (error) {
    return { status: null, response: { error: (error as Error).message } };
  }
}
