import type { EventBus } from '@nestjs/cqrs';
import { MessageStatus, MessageStep } from './message-step';
import {
  MessageTimeline,
  RECEIVED_LINGER_MS,
  SHED_RECEIVED_ABOVE_BACKLOG,
} from './message-timeline';
import type { ProjectionWriter } from './projection-writer';

describe('MessageTimeline.recordInBackground', () => {
  const step = (name: string, status: MessageStatus): MessageStep => ({
    context: {
      messageId: 'm-1',
      correlationId: 'c-1',
      integrationId: 'i-1',
      accountId: 'a-1',
      receivedAt: new Date().toISOString(),
    },
    source: 'inbound',
    action: 'price.set',
    step: name,
    status,
    run: 0,
    attempt: 0,
    totalAttempts: 0,
    at: new Date(),
    payload: { items: [] },
  });

  function build(backlog: number) {
    const writer = { backlog, write: jest.fn().mockResolvedValue(undefined) };
    const eventBus = { publish: jest.fn() };
    const sut = new MessageTimeline(
      writer as unknown as ProjectionWriter,
      eventBus as unknown as EventBus,
    );
    return { sut, writer, eventBus };
  }

  it('writes the received step while the store keeps up', async () => {
    const { sut, writer, eventBus } = build(0);
    sut.recordInBackground(step('received', MessageStatus.Received));
    await new Promise(setImmediate);
    expect(writer.write).toHaveBeenCalledTimes(1);
    // It lingers, to share its write with those of other messages accepted meanwhile.
    expect(writer.write.mock.calls[0][1]).toMatchObject({ lingerMs: RECEIVED_LINGER_MS });
    expect(eventBus.publish).toHaveBeenCalledTimes(1);
  });

  it('sheds only the received step under overload, still publishing it', () => {
    const { sut, writer, eventBus } = build(SHED_RECEIVED_ABOVE_BACKLOG + 1);
    sut.recordInBackground(step('received', MessageStatus.Received));
    expect(writer.write).not.toHaveBeenCalled();
    expect(eventBus.publish).toHaveBeenCalledTimes(1);

    sut.recordInBackground(step('processing', MessageStatus.Processing));
    expect(writer.write).toHaveBeenCalledTimes(1);
  });
});
