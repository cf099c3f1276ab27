import { Command } from '@nestjs/cqrs';
import type { MessageContext } from '../../../common/context';
import type { StepReporter } from '../../events';
import type { NotificationKind } from '../notifications/notification-kinds';
import type { NotificationPayload } from '../notifications/parse-notification';
import type { EntityClaim } from '../../ordering';
import type { ApplyCheckpoint } from './apply-checkpoint';

export interface NotificationResult {
  applied: number;
  superseded: number;
  acknowledged: boolean;
}

/** Apply a verified, queued Avasam notification to Avvyr, then acknowledge it to Avasam. */
export class ApplyNotificationCommand extends Command<NotificationResult> {
  constructor(
    readonly context: MessageContext,
    readonly kind: NotificationKind,
    readonly payload: NotificationPayload,
    readonly report: StepReporter,
    readonly checkpoint: ApplyCheckpoint,
    /** Its claim on its SKUs' keys (README "Ordering"); absent for a job queued before ordering. */
    readonly claim?: EntityClaim,
  ) {
    super();
  }
}
