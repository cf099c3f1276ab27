import type { MessageContext, MessageSource } from '../../../common/context';

export const MessageStatus = {
  Received: 'received',
  Processing: 'processing',
  Retrying: 'retrying',
  Succeeded: 'succeeded',
  Failed: 'failed',
} as const;
export type MessageStatus = (typeof MessageStatus)[keyof typeof MessageStatus];
export const MESSAGE_STATUSES = Object.values(MessageStatus);

/** What went wrong in one attempt, as shown on the event. */
export interface StepError {
  code: string;
  message: string;
  httpStatus?: number;
  /** The backend's response body, when there was one. */
  response?: unknown;
  retryable: boolean;
}

/** One thing that happened to a message; the IntegrationEvent read model is projected from these. */
export interface MessageStep {
  context: MessageContext;
  source: MessageSource;
  action: string;
  entityId?: string;
  /** Step name shown on the timeline: received, processing, applied, acknowledged, … */
  step: string;
  /** The status this step moves the message to; informational steps leave it unset. */
  status?: MessageStatus;
  /** Manual retries start a new run; attempts count from 1 within a run. */
  run: number;
  attempt: number;
  /** Attempts across all runs, as the event shows them. */
  totalAttempts: number;
  at: Date;
  detail?: Record<string, unknown>;
  error?: StepError;
  result?: unknown;
  nextAttemptAt?: Date;
  /** The message payload; carried by the steps that may create the event document. */
  payload?: unknown;
  /** Source-specific identifiers (Avasam's requestId). */
  externalId?: string;
  /** On a `manual-retry` step: the bulk replay that queued it (none for a single retry). */
  replayId?: string;
}

const PHASE: Record<MessageStatus, number> = {
  received: 0,
  processing: 1,
  retrying: 2,
  succeeded: 3,
  failed: 3,
};

/** Statuses only move forward: later run, later attempt, later phase. */
export function statusRank(step: Pick<MessageStep, 'run' | 'attempt' | 'status'>): number {
  return step.run * 1_000_000 + step.attempt * 10 + (step.status ? PHASE[step.status] : 0);
}
