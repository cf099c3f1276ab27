import { MessageStatus, MessageStepRecorded } from '../../events';
import type { MessageStep } from '../../events';
import { CountStepsHandler } from './count-steps.handler';
import { errorField, statusField } from './stats-keys';
import type { StatsStore } from './stats-store';

describe('CountStepsHandler', () => {
  const increments: { accountId: string; at: number; fields: string[] }[] = [];
  const store = {
    increment: (accountId: string, at: number, fields: string[]) =>
      increments.push({ accountId, at, fields }),
  } as unknown as StatsStore;
  const sut = new CountStepsHandler(store);
  const dims = { source: 'inbound', action: 'inventory.set', integrationId: 'int-1' };
  const at = new Date('2026-01-01T10:00:00Z');

  const step = (overrides: Partial<MessageStep>): MessageStep => ({
    context: {
      messageId: 'm-1',
      correlationId: 'c-1',
      integrationId: 'int-1',
      accountId: 'acc-1',
      receivedAt: at.toISOString(),
    },
    source: 'inbound',
    action: 'inventory.set',
    step: 'processing',
    run: 0,
    attempt: 1,
    totalAttempts: 1,
    at,
    ...overrides,
  });
  const handle = (overrides: Partial<MessageStep>) =>
    sut.handle(new MessageStepRecorded(step(overrides)));

  beforeEach(() => (increments.length = 0));

  it('counts acceptance, a manual retry, an automatic retry and both outcomes', () => {
    handle({ step: 'received', status: MessageStatus.Received, attempt: 0 });
    handle({ step: 'manual-retry', status: MessageStatus.Received, run: 1, attempt: 0 });
    handle({ step: 'retrying', status: MessageStatus.Retrying });
    handle({ step: 'succeeded', status: MessageStatus.Succeeded });
    expect(increments.map((i) => i.fields)).toEqual([
      [statusField('received', dims)],
      [statusField('retried', dims)],
      [statusField('retrying', dims)],
      [statusField('succeeded', dims)],
    ]);
    expect(increments.every((i) => i.accountId === 'acc-1' && i.at === at.getTime())).toBe(true);
  });

  it("counts a failure with its error's code", () => {
    handle({
      step: 'failed',
      status: MessageStatus.Failed,
      error: { code: 'AVVYR_HTTP_422', message: 'no', retryable: false },
    });
    expect(increments[0].fields).toEqual([
      statusField('failed', dims),
      errorField('AVVYR_HTTP_422', dims),
    ]);
  });

  it('ignores steps that reach no counted status', () => {
    handle({ step: 'processing', status: MessageStatus.Processing });
    handle({ step: 'applied' });
    handle({ step: 'redelivered' });
    expect(increments).toEqual([]);
  });
});
