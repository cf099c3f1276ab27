import { isDeepStrictEqual } from 'node:util';
import { mergePatches, patchToNewEvent, stepToPatch } from './event-patch';
import { MessageStatus, MessageStep } from './message-step';

describe('stepToPatch', () => {
  const receivedAt = '2026-12-01T09:00:00.123Z';
  const base = (partial: Partial<MessageStep> & { step: string }): MessageStep => ({
    context: {
      messageId: 'm-1',
      correlationId: 'c-1',
      integrationId: 'int-1',
      accountId: 'acc-1',
      receivedAt,
    },
    source: 'inbound',
    action: 'inventory.set',
    run: 0,
    attempt: 1,
    totalAttempts: 1,
    at: new Date('2026-12-01T09:00:01Z'),
    ...partial,
  });
  const received = base({
    step: 'received',
    status: MessageStatus.Received,
    attempt: 0,
    totalAttempts: 0,
    at: new Date(receivedAt),
  });

  it("an inbound message's first processing step carries its received entry, exactly as the API writes it", () => {
    const processing = stepToPatch(base({ step: 'processing', status: MessageStatus.Processing }));
    expect(processing.entries.map((e) => e.step)).toEqual(['received', 'processing']);
    // Identical, so $addToSet keeps one when both are written.
    expect(isDeepStrictEqual(processing.entries[0], stepToPatch(received).entries[0])).toBe(true);
  });

  it("the API's received step merged with that processing step creates an event with one received entry", () => {
    // Both land in one batch when the projection writer is busy (or catching up after an outage).
    const merged = mergePatches(
      stepToPatch(received),
      stepToPatch(base({ step: 'processing', status: MessageStatus.Processing })),
    );
    const timeline = (patchToNewEvent(merged) as unknown as { timeline: { step: string }[] })
      .timeline;
    expect(timeline.map((e) => e.step)).toEqual(['received', 'processing']);
  });

  it('other steps, later runs and Avasam messages carry only their own entry', () => {
    const only = (step: MessageStep) => stepToPatch(step).entries.map((e) => e.step);
    expect(only(base({ step: 'succeeded', status: MessageStatus.Succeeded }))).toEqual([
      'succeeded',
    ]);
    expect(only(base({ step: 'processing', run: 1 }))).toEqual(['processing']);
    expect(only(base({ step: 'processing', source: 'avasam' }))).toEqual(['processing']);
  });
});

describe('stepToPatch: the replay an event belongs to', () => {
  const step = (partial: Partial<MessageStep> & { step: string }): MessageStep => ({
    context: {
      messageId: 'm-2',
      correlationId: 'c-2',
      integrationId: 'int-1',
      accountId: 'acc-1',
      receivedAt: '2026-12-01T09:00:00.000Z',
    },
    source: 'inbound',
    action: 'inventory.set',
    run: 1,
    attempt: 0,
    totalAttempts: 1,
    at: new Date('2026-12-01T10:00:00Z'),
    status: MessageStatus.Received,
    ...partial,
  });

  it("a replay's manual-retry step sets replayId; a single retry's clears it", () => {
    const replayed = stepToPatch(step({ step: 'manual-retry', replayId: 'r-1' }));
    expect(replayed.status?.set.replayId).toBe('r-1');
    const single = stepToPatch(step({ step: 'manual-retry', run: 2 }));
    expect(single.status?.set.replayId).toBeUndefined();
    expect(single.status?.unset).toHaveProperty('replayId', '');
  });

  it('other steps leave it as it is', () => {
    const later = stepToPatch(step({ step: 'succeeded', status: MessageStatus.Succeeded }));
    expect(later.status?.set).not.toHaveProperty('replayId');
    expect(later.status?.unset).not.toHaveProperty('replayId');
  });
});
