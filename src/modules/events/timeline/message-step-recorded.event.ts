import type { MessageStep } from './message-step';

/** Published on the EventBus after each step is projected (metrics and logs listen). */
export class MessageStepRecorded {
  constructor(readonly step: MessageStep) {}
}
