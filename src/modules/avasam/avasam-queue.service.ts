import { Injectable } from '@nestjs/common';
import { Env } from '../../config/env';
import { MessageSources, TrackedMessageQueue } from '../events';
import { AVASAM_QUEUE } from './avasam-queue';

/** Producer side of the Avasam queue, and the events module's handle on it (retry, peek). */
@Injectable()
export class AvasamQueueService extends TrackedMessageQueue {
  constructor(env: Env, sources: MessageSources) {
    super('avasam', AVASAM_QUEUE, env, sources);
  }
}
