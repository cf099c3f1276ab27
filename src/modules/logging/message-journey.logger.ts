import { Inject } from '@nestjs/common';
import { EventsHandler, IEventHandler } from '@nestjs/cqrs';
import type { Logger } from 'pino';
import { MessageStatus, MessageStepRecorded } from '../events';
import { ROOT_LOGGER } from './logging.tokens';

/**
 * One line per recorded step of a message (received, processing, retrying, succeeded, failed…),
 * each carrying its messageId and correlationId, so a message's journey is one log query.
 * Payloads and results are left out: they may hold personal data.
 */
@EventsHandler(MessageStepRecorded)
export class MessageJourneyLogger implements IEventHandler<MessageStepRecorded> {
  constructor(@Inject(ROOT_LOGGER) private readonly logger: Logger) {}

  handle({ step }: MessageStepRecorded): void {
    const { context } = step;
    const line = {
      messageId: context.messageId,
      correlationId: context.correlationId,
      integrationId: context.integrationId,
      accountId: context.accountId,
      source: step.source,
      action: step.action,
      ...(step.entityId !== undefined && { entityId: step.entityId }),
      ...(step.externalId !== undefined && { externalId: step.externalId }),
      step: step.step,
      ...(step.status && { status: step.status }),
      run: step.run,
      attempt: step.attempt,
      ...(step.nextAttemptAt && { nextAttemptAt: step.nextAttemptAt.toISOString() }),
      ...(step.error && {
        error: {
          code: step.error.code,
          message: step.error.message,
          httpStatus: step.error.httpStatus,
          retryable: step.error.retryable,
        },
      }),
    };
    const message = `message ${step.step}`;
    if (step.status === MessageStatus.Failed) this.logger.warn(line, message);
    else this.logger.info(line, message);
  }
}
