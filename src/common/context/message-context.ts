/** Who and what a message is about; carried by every command, job, event and log line. */
export interface MessageContext {
  messageId: string;
  correlationId: string;
  integrationId: string;
  accountId: string;
  /** When the message was accepted (ISO 8601). */
  receivedAt: string;
}

/** Where a message came from: the Custom Inbound API or an Avasam webhook. */
export type MessageSource = 'inbound' | 'avasam';
