import { Command } from '@nestjs/cqrs';
import type { MessageContext } from '../../../common/context';
import type { StepReporter } from '../../events';
import type { AvvyrCallContext } from '../../avvyr';

/** Base of the seven action commands: the message's context, its validated payload, its entity. */
export abstract class InboundActionCommand<P> extends Command<unknown> {
  constructor(
    readonly context: MessageContext,
    readonly payload: P,
    readonly entityId: string | undefined,
    readonly report: StepReporter,
  ) {
    super();
  }

  get callContext(): AvvyrCallContext {
    return {
      messageId: this.context.messageId,
      accountId: this.context.accountId,
      correlationId: this.context.correlationId,
    };
  }
}
