import { Injectable } from '@nestjs/common';
import type { MessageSource } from '../../../common/context';
import type { TrackedJobData } from '../timeline/tracked-job';

/** What a queue-owning module lets the events module do with its messages. */
export interface MessageQueueAccess {
  readonly source: MessageSource;
  /** Runs a manual retry's checks and requeue with no other retry of the message in between. */
  exclusively<R>(messageId: string, work: () => Promise<R>): Promise<R>;
  /** Queue the message again under the same messageId, as run `job.run`. */
  requeue(job: TrackedJobData): Promise<void>;
  /** The queued job of a message whose event is not projected yet (the job is the truth). */
  peek(messageId: string): Promise<TrackedJobData | undefined>;
  /** The BullMQ state of the message's job (`failed`, `active`, …, or `missing`). */
  jobState(messageId: string): Promise<string>;
  /** Wakes a job waiting in the delayed set (a message held behind another); false if not there. */
  promote(messageId: string): Promise<boolean>;
  /** Jobs by state in this source's queue (every account's) and when the oldest waiting one came. */
  depth(): Promise<QueueDepth>;
}

export interface QueueDepth {
  queue: string;
  source: MessageSource;
  counts: Record<string, number>;
  /** Queued time of the oldest job waiting for a worker; null when none waits. */
  oldestWaitingAt: Date | null;
}

/** Registry filled at start-up by the inbound and avasam modules. */
@Injectable()
export class MessageSources {
  private readonly sources = new Map<MessageSource, MessageQueueAccess>();

  register(access: MessageQueueAccess): void {
    this.sources.set(access.source, access);
  }

  get(source: MessageSource): MessageQueueAccess | undefined {
    return this.sources.get(source);
  }

  all(): MessageQueueAccess[] {
    return [...this.sources.values()];
  }
}
