import { Injectable } from '@nestjs/common';
import { FaultPlan } from '../fault-plan';

/** One delivery as the sandbox receiver got it. */
export interface ReceivedDelivery {
  at: string;
  integrationId: string | null;
  headers: Record<string, string>;
  body: unknown;
  /** `Webhook.verify` passed with the secret of the integration it belongs to. */
  verified: boolean;
  /** Why it did not verify. */
  reason?: string;
  /** The status the receiver answered (an injected fault's, or 204 / 401). */
  answered: number;
}

const MAX_KEPT = 1000;
/** The headers a Standard Webhooks delivery is about; no other header is kept. */
export const RECORDED_HEADERS = [
  'webhook-id',
  'webhook-timestamp',
  'webhook-signature',
  'content-type',
  'user-agent',
];

/** What the receiver got, newest last, in memory (the last 1,000), and its injected faults. */
@Injectable()
export class ReceiverState {
  deliveries: ReceivedDelivery[] = [];
  readonly faults = new FaultPlan();

  record(delivery: ReceivedDelivery): void {
    this.deliveries.push(delivery);
    if (this.deliveries.length > MAX_KEPT)
      this.deliveries.splice(0, this.deliveries.length - MAX_KEPT);
  }

  list(integrationId?: string): ReceivedDelivery[] {
    return integrationId
      ? this.deliveries.filter((d) => d.integrationId === integrationId)
      : this.deliveries;
  }

  reset(): void {
    this.deliveries = [];
    this.faults.clear();
  }

  snapshot() {
    return { deliveries: this.deliveries, faults: this.faults.list() };
  }
}
