import { Injectable, Logger } from '@nestjs/common';
import { DelayedError, Job, UnrecoverableError } from 'bullmq';
import { Env } from '../../../config/env';
import {
  EntityClaim,
  EntityUnit,
  HeldBehind,
  MessageOrdering,
  OrderedMessageRef,
  parseMember,
} from '../../ordering';
import { MessageSources } from '../retry/message-sources';
import { MessageTimeline } from '../timeline/message-timeline';
import type { TrackedJobData } from '../timeline/tracked-job';

/** BullMQ states in which a job will never run again: it cannot be waited for. */
const GONE = new Set(['missing', 'completed', 'failed', 'unknown']);
/** How many orphaned entries one admission clears before it waits like any other. */
const ORPHANS_PER_ADMISSION = 3;
/**
 * An entry counts as orphaned only once its job has been seen gone for this long: a manual retry
 * registers the message a moment before its job leaves the failed set (or is added again).
 */
const ORPHAN_GRACE_MS = 10_000;

/**
 * Runs a tracked job in its entity keys' order (README "Ordering"). A message that must wait
 * for an earlier one is parked in BullMQ's delayed set, with a `held` step naming the message it
 * waits for, and is woken when that message releases its keys (or, should the waker die, after
 * ORDERING_RECHECK_MS). Waiting does not use up attempts.
 */
@Injectable()
export class OrderedJobGate {
  private readonly logger = new Logger(OrderedJobGate.name);

  constructor(
    private readonly ordering: MessageOrdering,
    private readonly sources: MessageSources,
    private readonly timeline: MessageTimeline,
    private readonly env: Env,
  ) {}

  /**
   * Admits the job on its keys, runs `work` with the claim (which the work commits once its
   * backend call succeeded; committed here otherwise), and releases the keys when the message
   * failed for good. Throws DelayedError when the job was parked.
   */
  async run<T>(
    job: Job<TrackedJobData>,
    token: string | undefined,
    units: EntityUnit[],
    work: (claim: EntityClaim | undefined) => Promise<T>,
  ): Promise<T> {
    const ref = refOf(job.data);
    const claim = units.length ? await this.admit(job, token, ref, units) : undefined;
    if (!claim) return work(undefined);
    claim.onRelease = (held) => this.wake(held);
    // Its steps carry its place, so the event has it even when its `received` step was shed.
    job.data.context.order ??= claim.order;
    try {
      const result = await work(claim);
      await claim.commit();
      return result;
    } catch (error) {
      await claim.abort().catch((e: Error) => this.logger.warn(`Unlock failed: ${e.message}`));
      // The runner turns every final failure into an UnrecoverableError.
      if (error instanceof UnrecoverableError) await claim.releaseFailed();
      throw error;
    }
  }

  private async admit(
    job: Job<TrackedJobData>,
    token: string | undefined,
    ref: OrderedMessageRef,
    units: EntityUnit[],
  ): Promise<EntityClaim | undefined> {
    for (let orphans = 0; ;) {
      const answer = await this.ordering.begin(ref, units);
      if (!answer || answer instanceof EntityClaim) return answer;
      if (orphans < ORPHANS_PER_ADMISSION && (await this.isOrphan(answer))) {
        orphans += 1;
        const held = await this.ordering.releaseOrphan(
          ref.accountId,
          answer.key,
          answer.blocker.member,
        );
        this.logger.warn(
          `Released ${answer.blocker.messageId} from key ${answer.key}: its job will not run again`,
        );
        this.wake(held.filter((member) => parseMember(member).messageId !== ref.messageId));
        continue;
      }
      return this.park(job, token, ref, answer);
    }
  }

  /**
   * An entry whose job is gone or finished without releasing it (a crash at the wrong moment, a
   * job BullMQ failed as stalled, a job deleted by hand), seen so for ORPHAN_GRACE_MS.
   */
  private async isOrphan(held: HeldBehind): Promise<boolean> {
    const source = this.sources.get(held.blocker.source);
    if (!source || !GONE.has(await source.jobState(held.blocker.messageId))) return false;
    return (await this.ordering.goneForMs(held.blocker.member)) >= ORPHAN_GRACE_MS;
  }

  private async park(
    job: Job<TrackedJobData>,
    token: string | undefined,
    ref: OrderedMessageRef,
    held: HeldBehind,
  ): Promise<never> {
    if (job.data.heldBehind !== held.blocker.messageId) {
      this.recordHeld(job, held);
      await job.updateData({ ...job.data, heldBehind: held.blocker.messageId });
    }
    await job.moveToDelayed(Date.now() + this.env.ORDERING_RECHECK_MS, token);
    // Released between admission and now: its waker found this job not yet delayed.
    if (!(await this.ordering.isPending(ref.accountId, held.key, held.blocker.member))) {
      await this.sources.get(job.data.source)?.promote(ref.messageId);
    }
    throw new DelayedError();
  }

  private recordHeld(job: Job<TrackedJobData>, held: HeldBehind): void {
    const { data } = job;
    this.timeline.recordInBackground({
      context: data.context,
      source: data.source,
      action: data.action,
      entityId: data.entityId,
      externalId: data.externalId,
      run: data.run,
      attempt: job.attemptsMade,
      totalAttempts: data.priorAttempts + job.attemptsMade,
      at: new Date(),
      step: 'held',
      detail: { behind: held.blocker.messageId, source: held.blocker.source, key: held.key },
    });
  }

  /** Wakes the messages that were held behind a released one. */
  private wake(members: string[]): void {
    for (const member of members) {
      const { source, messageId } = parseMember(member);
      this.sources
        .get(source)
        ?.promote(messageId)
        .catch((error: Error) => this.logger.warn(`Could not wake ${messageId}: ${error.message}`));
    }
  }
}

function refOf(data: TrackedJobData): OrderedMessageRef {
  return {
    source: data.source,
    messageId: data.context.messageId,
    accountId: data.context.accountId,
  };
}
