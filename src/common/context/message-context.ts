/** Who and what a message is about; carried by every command, job, event and log line. */
export interface MessageContext {
  messageId: string;
  correlationId: string;
  integrationId: string;
  accountId: string;
  /** When the message was accepted (ISO 8601). */
  receivedAt: string;
  /**
   * Its place in its entity keys' order (README "Ordering"): the acceptance sequence and the
   * order time (`occurredAt`, else the acceptance time). Set when it is queued.
   */
  order?: { seq: number; at: string };
  /** The batch it was sent in (`POST /integrations/custom/inbound/batch`), if any. */
  batchId?: string;
  /** Its index in that batch (the `received` step's detail names both). */
  batchIndex?: number;
}

/** Where a message came from: the Custom Inbound API or an Avasam webhook. */
export type MessageSource = 'inbound' | 'avasam';

/** The context of a message accepted now, for an integration. */
export function newMessageContext(
  messageId: string,
  correlationId: string,
  integration: { id: string; accountId: string },
): MessageContext {
  return {
    messageId,
    correlationId,
    integrationId: integration.id,
    accountId: integration.accountId,
    receivedAt: new Date().toISOString(),
  };
}

/** The context of a message already recorded (its event), to record further steps for it. */
export function storedMessageContext(event: {
  messageId: string;
  correlationId: string;
  integrationId: string;
  accountId: string;
  receivedAt: Date | string;
  order?: { seq: number; at: Date | string };
  batchId?: string;
}): MessageContext {
  return {
    messageId: event.messageId,
    correlationId: event.correlationId,
    integrationId: event.integrationId,
    accountId: event.accountId,
    receivedAt: new Date(event.receivedAt).toISOString(),
    ...(event.batchId && { batchId: event.batchId }),
    ...(event.order && {
      order: { seq: event.order.seq, at: new Date(event.order.at).toISOString() },
    }),
  };
}
