import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnrecoverableError } from 'bullmq';
import { IntegrationsService } from '../../integrations';
import { notificationItems } from '../notifications/parse-notification';
import { readAvasamSettings } from '../settings/avasam-settings';
import { Acknowledger } from './acknowledger';
import { ApplyNotificationCommand, NotificationResult } from './apply-notification.command';
import { GuardedApplier } from './guarded-applier';

/**
 * Apply, then acknowledge. The outcome of applying is checkpointed on the job, so a retry caused
 * by a failing acknowledgement does not apply the items again.
 */
@CommandHandler(ApplyNotificationCommand)
export class ApplyNotificationHandler implements ICommandHandler<
  ApplyNotificationCommand,
  NotificationResult
> {
  constructor(
    private readonly integrations: IntegrationsService,
    private readonly applier: GuardedApplier,
    private readonly acknowledger: Acknowledger,
  ) {}

  async execute(command: ApplyNotificationCommand): Promise<NotificationResult> {
    const { context, kind, payload, report, checkpoint, claim } = command;
    const integration = await this.integrations.findById(context.integrationId);
    if (!integration || integration.service !== 'avasam') {
      throw new UnrecoverableError(`Avasam integration ${context.integrationId} no longer exists`);
    }
    const settings = readAvasamSettings(integration.settings);
    const items = notificationItems(kind, payload);
    if (!items.length) {
      // Avasam's "test" button: nothing to apply, and no real notification to acknowledge.
      await report('test-notification', { reason: 'empty data: nothing to apply or acknowledge' });
      return { applied: 0, superseded: 0, acknowledged: false };
    }
    let outcome = checkpoint.applied;
    if (!outcome) {
      outcome = await this.applier.apply(kind, context, settings, items, report, claim);
      await checkpoint.save(outcome);
    }
    const acknowledged = await this.acknowledger.acknowledge(
      kind,
      settings,
      payload.requestId,
      report,
    );
    return { ...outcome, acknowledged };
  }
}
