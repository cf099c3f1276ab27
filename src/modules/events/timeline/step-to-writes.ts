import type { AnyBulkWriteOperation } from 'mongoose';
import type { IntegrationEvent, TimelineEntry } from '../integration-event.schema';
import { MessageStatus, MessageStep, statusRank } from './message-step';

/**
 * The two writes that project one step: an upsert that creates the event if it is missing (so
 * a lost projection heals at the next step) and appends to the timeline, then a guarded update
 * that moves the status only forward.
 */
export function stepToWrites(step: MessageStep): AnyBulkWriteOperation<IntegrationEvent>[] {
  const { context } = step;
  const writes: AnyBulkWriteOperation<IntegrationEvent>[] = [
    {
      updateOne: {
        filter: { _id: context.messageId },
        update: {
          $setOnInsert: { ...insertedFields(step), status: MessageStatus.Received, statusRank: -1 },
          $push: { timeline: timelineEntry(step) },
          $max: { attempts: step.totalAttempts },
          $set: { updatedAt: step.at },
        },
        upsert: true,
      },
    },
  ];
  if (step.status) {
    writes.push({
      updateOne: {
        filter: { _id: context.messageId, statusRank: { $lt: statusRank(step) } },
        update: statusUpdate(step, step.status),
      },
    });
  }
  return writes;
}

/**
 * The event exactly as `stepToWrites` leaves it when none existed yet, so the first step of a
 * message can be one batched insert instead of two updates.
 */
export function stepToNewEvent(step: MessageStep): IntegrationEvent {
  const event: Record<string, unknown> = {
    _id: step.context.messageId,
    ...insertedFields(step),
    status: MessageStatus.Received,
    statusRank: -1,
    timeline: [timelineEntry(step)],
    attempts: step.totalAttempts,
    updatedAt: step.at,
  };
  if (step.status) Object.assign(event, statusUpdate(step, step.status).$set);
  return event as unknown as IntegrationEvent;
}

function insertedFields(step: MessageStep) {
  const { context } = step;
  return {
    messageId: context.messageId,
    source: step.source,
    integrationId: context.integrationId,
    accountId: context.accountId,
    correlationId: context.correlationId,
    action: step.action,
    receivedAt: new Date(context.receivedAt),
    ...(step.entityId !== undefined && { entityId: step.entityId }),
    ...(step.externalId !== undefined && { externalId: step.externalId }),
    ...(step.payload !== undefined && { payload: step.payload }),
  };
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

function statusUpdate(step: MessageStep, status: MessageStatus) {
  const set: Record<string, unknown> = { status, statusRank: statusRank(step) };
  const unset: Record<string, ''> = {};
  if (step.error) set.lastError = step.error;
  if (step.result !== undefined) set.result = step.result;
  if (step.nextAttemptAt) set.nextAttemptAt = step.nextAttemptAt;
  else unset.nextAttemptAt = '';
  if (status === MessageStatus.Succeeded || status === MessageStatus.Failed) {
    set.completedAt = step.at;
  } else {
    unset.completedAt = '';
  }
  return { $set: set, $unset: unset };
}
