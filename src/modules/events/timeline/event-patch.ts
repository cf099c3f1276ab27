import type { AnyBulkWriteOperation } from 'mongoose';
import type { MessageContext } from '../../../common/context';
import type { IntegrationEvent, TimelineEntry } from '../integration-event.schema';
import { payloadExternalId, payloadSkus } from './event-keys';
import { MessageStatus, MessageStep, statusRank } from './message-step';

/** How a status-bearing step changes the event, applied only while it moves the status forward. */
interface StatusChange {
  rank: number;
  set: Record<string, unknown>;
  unset: Record<string, ''>;
}

/**
 * What one or more steps of one message do to its event. Steps of the same message that meet
 * in one projection batch are merged into one patch, so a message processed while the store
 * is busy costs one write instead of one per step.
 */
export interface EventPatch {
  messageId: string;
  /** Fields a new event starts with (identity, action, payload…). */
  identity: Record<string, unknown>;
  entries: TimelineEntry[];
  attempts: number;
  updatedAt: Date;
  status?: StatusChange;
}

export function stepToPatch(step: MessageStep): EventPatch {
  return {
    messageId: step.context.messageId,
    identity: identityFields(step),
    entries: [...impliedEntries(step), timelineEntry(step)],
    attempts: step.totalAttempts,
    updatedAt: step.at,
    ...(step.status && { status: statusChange(step, step.status) }),
  };
}

/** `later` recorded after `earlier`: the result is what applying both in turn would leave. */
export function mergePatches(earlier: EventPatch, later: EventPatch): EventPatch {
  return {
    messageId: earlier.messageId,
    identity: { ...later.identity, ...earlier.identity },
    entries: withoutRepeats([...earlier.entries, ...later.entries]),
    attempts: Math.max(earlier.attempts, later.attempts),
    updatedAt: later.updatedAt > earlier.updatedAt ? later.updatedAt : earlier.updatedAt,
    status: mergeStatus(earlier.status, later.status),
  };
}

/**
 * An entry that is already there, key for key, once: what `$addToSet` leaves when the two are
 * applied in turn. Without it, the API's `received` step and the `received` entry a first
 * `processing` step carries, merged into one new event, would both be inserted.
 */
function withoutRepeats(entries: TimelineEntry[]): TimelineEntry[] {
  const seen = new Set<string>();
  return entries.filter((entry) => {
    const key = JSON.stringify(entry);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The event as a patch creates it when none exists yet: one cheap batched insert. */
export function patchToNewEvent(patch: EventPatch): IntegrationEvent {
  return {
    _id: patch.messageId,
    ...patch.identity,
    ...initialStatus(patch),
    timeline: patch.entries,
    attempts: patch.attempts,
    updatedAt: patch.updatedAt,
  } as unknown as IntegrationEvent;
}

/**
 * The usual write: the event exists and is behind this patch's status, so one point write moves
 * it forward and adds the timeline entries. It matches nothing when the event is missing or
 * already further on; `healingWrites` then covers both cases.
 */
export function forwardUpdate(patch: EventPatch, status: StatusChange) {
  return {
    updateOne: {
      filter: { _id: patch.messageId, statusRank: { $lt: status.rank } },
      update: {
        $set: { ...status.set, statusRank: status.rank },
        ...(Object.keys(status.unset).length && { $unset: status.unset }),
        ...timelineAndCounters(patch),
      },
    },
  } satisfies AnyBulkWriteOperation<IntegrationEvent>;
}

/**
 * Writes that leave the event right whatever state it is in, and change nothing when repeated:
 * an upsert that creates it (with this patch's status) or adds the missing timeline entries, then
 * the forward-only status move for an event that a concurrent writer created meanwhile.
 */
export function healingWrites(patch: EventPatch): AnyBulkWriteOperation<IntegrationEvent>[] {
  const upsert: AnyBulkWriteOperation<IntegrationEvent> = {
    updateOne: {
      filter: { _id: patch.messageId },
      update: {
        $setOnInsert: { ...patch.identity, ...initialStatus(patch) },
        ...timelineAndCounters(patch),
      },
      upsert: true,
    },
  };
  return patch.status ? [upsert, forwardUpdate(patch, patch.status)] : [upsert];
}

/**
 * `$addToSet` rather than `$push`: an entry already there (the same step, to the millisecond)
 * is not added twice, which is what lets a write be repeated safely.
 */
function timelineAndCounters(patch: EventPatch) {
  return {
    $addToSet: { timeline: { $each: patch.entries } },
    $max: { attempts: patch.attempts, updatedAt: patch.updatedAt },
  };
}

function initialStatus(patch: EventPatch): Record<string, unknown> {
  return patch.status
    ? { ...patch.status.set, statusRank: patch.status.rank }
    : { status: MessageStatus.Received, statusRank: -1 };
}

/** Sets and unsets folded in rank order: the later step wins on each field it touches. */
function mergeStatus(a?: StatusChange, b?: StatusChange): StatusChange | undefined {
  if (!a || !b) return a ?? b;
  const [low, high] = a.rank <= b.rank ? [a, b] : [b, a];
  const set = { ...low.set };
  const unset = { ...low.unset };
  for (const key of Object.keys(high.unset)) delete set[key];
  for (const key of Object.keys(high.set)) delete unset[key];
  return { rank: high.rank, set: { ...set, ...high.set }, unset: { ...unset, ...high.unset } };
}

function identityFields(step: MessageStep): Record<string, unknown> {
  const { context } = step;
  const externalId = step.externalId ?? payloadExternalId(step.action, step.payload);
  const skus = payloadSkus(step.payload);
  return {
    messageId: context.messageId,
    source: step.source,
    integrationId: context.integrationId,
    accountId: context.accountId,
    correlationId: context.correlationId,
    action: step.action,
    receivedAt: new Date(context.receivedAt),
    ...(context.batchId && { batchId: context.batchId }),
    ...(context.order && { order: { seq: context.order.seq, at: new Date(context.order.at) } }),
    ...(step.entityId !== undefined && { entityId: step.entityId }),
    ...(externalId !== undefined && { externalId }),
    ...(skus.length && { skus }),
    ...(step.payload !== undefined && { payload: step.payload }),
  };
}

/**
 * An inbound message's first-run `processing` step also carries its `received` entry, exactly as
 * the inbound API writes it (`$addToSet` keeps one): a received projection that was shed under
 * overload or lost to a store outage is restored, so the timeline is complete once the message
 * is processed. (Avasam's received entry holds webhook details only its receiver knows, and an
 * Avasam webhook is not accepted without the store.)
 */
function impliedEntries(step: MessageStep): TimelineEntry[] {
  if (step.step !== 'processing' || step.run !== 0 || step.source !== 'inbound') return [];
  return [
    timelineEntry({
      ...step,
      step: 'received',
      status: MessageStatus.Received,
      attempt: 0,
      at: new Date(step.context.receivedAt),
      // As the API writes it, key for key, or `$addToSet` would add a second one.
      detail: receivedDetail(step.context),
      error: undefined,
    }),
  ];
}

/** The `received` step's detail: the batch and index an inbound message came in, if any. */
export function receivedDetail(context: MessageContext): Record<string, unknown> | undefined {
  const { batchId, batchIndex } = context;
  return batchId !== undefined && batchIndex !== undefined
    ? { batchId, index: batchIndex }
    : undefined;
}

function timelineEntry(step: MessageStep): TimelineEntry {
  return {
    step: step.step,
    at: step.at,
    run: step.run,
    attempt: step.attempt,
    ...(step.status && { status: step.status }),
    ...(step.detail && { detail: step.detail }),
    ...(step.error && { error: step.error }),
  };
}

function statusChange(step: MessageStep, status: MessageStatus): StatusChange {
  const set: Record<string, unknown> = { status };
  const unset: Record<string, ''> = {};
  if (step.error) {
    set.lastError = step.error;
    set.errorCode = step.error.code;
  }
  if (step.result !== undefined) set.result = step.result;
  if (step.nextAttemptAt) set.nextAttemptAt = step.nextAttemptAt;
  else unset.nextAttemptAt = '';
  // The event belongs to the replay that started its latest run (its counts read it).
  if (step.step === 'manual-retry') {
    if (step.replayId) set.replayId = step.replayId;
    else unset.replayId = '';
  }
  if (status === MessageStatus.Succeeded || status === MessageStatus.Failed) {
    set.completedAt = step.at;
  } else {
    unset.completedAt = '';
  }
  return { rank: statusRank(step), set, unset };
}
