import { Command } from '@nestjs/cqrs';

export interface RetryEventResult {
  messageId: string;
  status: 'received';
}

/** A person asks for a failed message to be processed again, under the same messageId. */
export class RetryEventCommand extends Command<RetryEventResult> {
  constructor(
    readonly accountId: string,
    readonly messageId: string,
    readonly requestedBy: string,
    /** The bulk replay this retry is part of (`POST /v1/integrations/events/retry`), if any. */
    readonly replayId?: string,
  ) {
    super();
  }
}
