import { Injectable } from '@nestjs/common';
import { Env } from '../../config/env';
import { MessageSources, TrackedJobData, TrackedMessageQueue } from '../events';
import { EntityUnit, MessageOrdering } from '../ordering';
import { ACTION_ORDERING } from './actions/action-ordering';
import { isInboundAction } from './actions/action-registry';
import { INBOUND_QUEUE } from './inbound-queue';

/** Producer side of the inbound queue, and the events module's handle on it (retry, peek). */
@Injectable()
export class InboundQueueService extends TrackedMessageQueue {
  constructor(env: Env, sources: MessageSources, ordering: MessageOrdering) {
    super('inbound', INBOUND_QUEUE, env, sources, ordering);
  }

  unitsOf(data: TrackedJobData): EntityUnit[] {
    if (!isInboundAction(data.action)) return [];
    return ACTION_ORDERING[data.action].units(
      data.payload as Record<string, unknown>,
      data.entityId,
    );
  }
}
