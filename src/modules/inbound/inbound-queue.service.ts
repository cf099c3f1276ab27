import { Injectable } from '@nestjs/common';
import { Env } from '../../config/env';
import { MessageSources, TrackedMessageQueue } from '../events';
import { INBOUND_QUEUE } from './inbound-queue';

/** Producer side of the inbound queue, and the events module's handle on it (retry, peek). */
@Injectable()
export class InboundQueueService extends TrackedMessageQueue {
  constructor(env: Env, sources: MessageSources) {
    super('inbound', INBOUND_QUEUE, env, sources);
  }
}
