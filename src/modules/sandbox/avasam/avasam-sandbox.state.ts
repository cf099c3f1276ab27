import { FaultPlan } from '../fault-plan';
import { Injectable } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';

/** A seller's Avasam account, as set on Avasam's API-key and webhook settings pages. */
export interface SandboxSeller {
  consumerKey: string;
  secretKey: string;
  verificationToken?: string;
  stockUpdateUrl?: string;
  priceUpdateUrl?: string;
  tokenTtlSeconds: number;
}

export interface IssuedToken {
  accessToken: string;
  consumerKey: string;
  expiresAt: Date;
}

export type AcknowledgementKind = 'stock' | 'price';

export interface Acknowledgement {
  kind: AcknowledgementKind;
  requestId: string;
  consumerKey: string;
  at: string;
}

export interface SentNotification {
  kind: AcknowledgementKind;
  consumerKey: string;
  url: string;
  requestId: string;
  at: string;
  status: number | null;
  response: unknown;
}

export interface AvasamCall {
  at: string;
  action: string;
  status: number;
  consumerKey?: string;
}

export const DEFAULT_TOKEN_TTL_SECONDS = 3600;
const MAX_KEPT = 2000;

/** Everything the Avasam sandbox remembers; in memory, per process, reset on demand. */
@Injectable()
export class AvasamSandboxState {
  sellers = new Map<string, SandboxSeller>();
  tokens = new Map<string, IssuedToken>();
  tokensIssued = 0;
  acknowledgements: Acknowledgement[] = [];
  notifications: SentNotification[] = [];
  calls: AvasamCall[] = [];
  readonly faults = new FaultPlan();

  reset(): void {
    this.sellers.clear();
    this.tokens.clear();
    this.tokensIssued = 0;
    this.acknowledgements = [];
    this.notifications = [];
    this.calls = [];
    this.faults.clear();
  }

  addSeller(input: Partial<SandboxSeller>): SandboxSeller {
    const seller: SandboxSeller = {
      consumerKey: input.consumerKey ?? randomUUID(),
      secretKey: input.secretKey ?? randomBytes(24).toString('base64url'),
      verificationToken: input.verificationToken,
      stockUpdateUrl: input.stockUpdateUrl,
      priceUpdateUrl: input.priceUpdateUrl,
      tokenTtlSeconds: input.tokenTtlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS,
    };
    this.sellers.set(seller.consumerKey, seller);
    return seller;
  }

  issueToken(seller: SandboxSeller, now = new Date()): IssuedToken {
    const token = {
      accessToken: randomUUID(),
      consumerKey: seller.consumerKey,
      expiresAt: new Date(now.getTime() + seller.tokenTtlSeconds * 1000),
    };
    this.tokens.set(token.accessToken, token);
    this.tokensIssued++;
    return token;
  }

  /** The seller a raw `Authorization: <access_token>` header belongs to, if still valid. */
  tokenOwner(accessToken: string | undefined, now = new Date()): SandboxSeller | undefined {
    const token = accessToken ? this.tokens.get(accessToken) : undefined;
    if (!token || token.expiresAt <= now) return undefined;
    return this.sellers.get(token.consumerKey);
  }

  /** Ends every token of a seller now, as if they expired between two calls. */
  expireTokens(consumerKey: string, now = new Date()): number {
    let expired = 0;
    for (const token of this.tokens.values()) {
      if (token.consumerKey === consumerKey && token.expiresAt > now) {
        token.expiresAt = now;
        expired++;
      }
    }
    return expired;
  }

  log(call: AvasamCall): void {
    keep(this.calls, call);
  }

  acknowledge(ack: Acknowledgement): void {
    keep(this.acknowledgements, ack);
  }

  sent(notification: SentNotification): void {
    keep(this.notifications, notification);
  }

  snapshot() {
    return {
      sellers: [...this.sellers.values()].map(sellerView),
      tokensIssued: this.tokensIssued,
      acknowledgements: this.acknowledgements,
      notifications: this.notifications,
      calls: this.calls,
      faults: this.faults.list(),
    };
  }
}

/** A seller as reads show it: the secret key and verification token are not repeated. */
export function sellerView(seller: SandboxSeller) {
  return {
    consumerKey: seller.consumerKey,
    hasVerificationToken: Boolean(seller.verificationToken),
    stockUpdateUrl: seller.stockUpdateUrl ?? null,
    priceUpdateUrl: seller.priceUpdateUrl ?? null,
    tokenTtlSeconds: seller.tokenTtlSeconds,
  };
}

function keep<T>(list: T[], item: T): void {
  list.push(item);
  if (list.length > MAX_KEPT) list.splice(0, list.length - MAX_KEPT);
}
