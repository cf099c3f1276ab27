import { EventsHandler, IEventHandler } from '@nestjs/cqrs';
import { MessageStatus, MessageStepRecorded } from '../../events';
import type { MessageStep } from '../../events';
import { CountedStatus, errorField, statusField } from './stats-keys';
import { StatsStore } from './stats-store';

/**
 * Counts what recorded steps did to messages, per account and minute: received (a manual retry
 * counts as `retried`), an automatic retry scheduled, and the terminal succeeded / failed with
 * the failure's error code. The overview and the list's counts read these, never the events.
 */
@EventsHandler(MessageStepRecorded)
export class CountStepsHandler implements IEventHandler<MessageStepRecorded> {
  constructor(private readonly store: StatsStore) {}

  handle({ step }: MessageStepRecorded): void {
    const status = countedStatus(step);
    if (!status) return;
    const dims = {
      source: step.source,
      action: step.action,
      integrationId: step.context.integrationId,
    };
    const fields = [statusField(status, dims)];
    if (status === 'failed' && step.error) fields.push(errorField(step.error.code, dims));
    this.store.increment(step.context.accountId, step.at.getTime(), fields);
  }
}

function countedStatus(step: MessageStep): CountedStatus | undefined {
  switch (step.status) {
    case MessageStatus.Received:
      // Only the step that moves a message to received, not e.g. an Avasam redelivery note.
      if (step.step !== 'received' && step.step !== 'manual-retry') return undefined;
      return step.run === 0 ? 'received' : 'retried';
    case MessageStatus.Retrying:
      return 'retrying';
    case MessageStatus.Succeeded:
      return 'succeeded';
    case MessageStatus.Failed:
      return 'failed';
    default:
      return undefined;
  }
}
