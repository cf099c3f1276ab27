import type { Model } from 'mongoose';
import type { EventSku } from '../event-sku.schema';
import type { IntegrationEvent } from '../integration-event.schema';
import { MessageStatus, MessageStep } from './message-step';
import { ProjectionWriter } from './projection-writer';

/** A store that records, in order, every command the writer sends it. */
function fakeStore() {
  const commands: {
    collection: string;
    op: string;
    messageIds: string[];
    docs?: Record<string, unknown>[];
  }[] = [];
  const idsOf = (docs: { _id?: string; messageId?: string }[]) =>
    docs.map((d) => String(d._id ?? d.messageId));
  const events = {
    collection: {
      insertMany: jest.fn(async (docs: { _id: string }[]) => {
        commands.push({ collection: 'events', op: 'insertMany', messageIds: idsOf(docs), docs });
      }),
    },
    bulkWrite: jest.fn(async (ops: { updateOne: { filter: { _id: string } } }[]) => {
      commands.push({
        collection: 'events',
        op: 'bulkWrite',
        messageIds: ops.map((o) => String(o.updateOne.filter._id)),
      });
      return { matchedCount: ops.length };
    }),
  };
  const skus = {
    collection: {
      insertMany: jest.fn(async (rows: { messageId: string }[]) => {
        commands.push({ collection: 'skus', op: 'insertMany', messageIds: idsOf(rows) });
      }),
    },
  };
  const writer = new ProjectionWriter(
    events as unknown as Model<IntegrationEvent>,
    skus as unknown as Model<EventSku>,
  );
  return { writer, commands };
}

const step = (messageId: string, name: string, status: MessageStatus): MessageStep => ({
  context: {
    messageId,
    correlationId: `c-${messageId}`,
    integrationId: 'i-1',
    accountId: 'a-1',
    receivedAt: '2026-12-01T09:00:00.000Z',
  },
  source: 'inbound',
  action: 'price.set',
  step: name,
  status,
  run: 0,
  attempt: 0,
  totalAttempts: 0,
  at: new Date('2026-12-01T09:00:00.000Z'),
  payload: { items: [{ sku: `SKU-${messageId}`, sellingPrice: 1 }] },
});

const received = (messageId: string) => step(messageId, 'received', MessageStatus.Received);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('ProjectionWriter lingering steps', () => {
  it('writes received steps that arrive one by one, within the linger, as batched inserts', async () => {
    const { writer, commands } = fakeStore();
    const written: Promise<void>[] = [];
    for (let i = 0; i < 12; i++) {
      written.push(writer.write(received(`m-${i}`), { first: true, lingerMs: 200 }));
      await pause(2);
    }
    await Promise.all(written);

    const inserts = commands.filter((c) => c.collection === 'events' && c.op === 'insertMany');
    // One insert per lane at most (three lanes), and every message in one of them.
    expect(inserts.length).toBeLessThanOrEqual(3);
    expect(inserts.flatMap((c) => c.messageIds).sort()).toEqual(
      Array.from({ length: 12 }, (_, i) => `m-${i}`).sort(),
    );
  });

  it('without a linger, the same steps each go as soon as their lane is free', async () => {
    const { writer, commands } = fakeStore();
    const written: Promise<void>[] = [];
    for (let i = 0; i < 12; i++) {
      written.push(writer.write(received(`m-${i}`), { first: true }));
      await pause(2);
    }
    await Promise.all(written);

    expect(commands.filter((c) => c.collection === 'events').length).toBeGreaterThan(3);
  });

  it("a later step of the message releases its lingering step first, so the event's steps stay in order", async () => {
    const { writer, commands } = fakeStore();
    const first = writer.write(received('m-1'), { first: true, lingerMs: 60_000 });
    await pause(5);
    expect(commands).toEqual([]);

    await writer.write(step('m-1', 'succeeded', MessageStatus.Succeeded));
    await first;
    // Both steps went in one batch of the message's lane, the received one as the event's insert.
    expect(commands.map((c) => `${c.collection}.${c.op}`)).toEqual([
      'skus.insertMany',
      'events.insertMany',
    ]);
    expect(commands[1].messageIds).toEqual(['m-1']);
  });

  it('a message picked up within the linger and processed within the deferral is written once, whole', async () => {
    const { writer, commands } = fakeStore();
    const accepted = writer.write(received('m-1'), { first: true, lingerMs: 60_000 });
    // The worker's processing step, deferred in case the outcome comes quickly (TrackedJobRunner).
    const processing = writer.write(step('m-1', 'processing', MessageStatus.Processing), {
      deferMs: 60_000,
    });
    await pause(5);
    expect(commands).toEqual([]);

    await writer.write(step('m-1', 'succeeded', MessageStatus.Succeeded));
    await Promise.all([accepted, processing]);
    expect(commands.map((c) => `${c.collection}.${c.op}`)).toEqual([
      'skus.insertMany',
      'events.insertMany',
    ]);
    const [event] = commands[1].docs as { status: string; timeline: { step: string }[] }[];
    expect(event.status).toBe(MessageStatus.Succeeded);
    expect(event.timeline.map((entry) => entry.step)).toEqual([
      'received',
      'processing',
      'succeeded',
    ]);
  });

  it('a deferred step whose deferral runs out takes the lingering step with it, in order', async () => {
    const { writer, commands } = fakeStore();
    const accepted = writer.write(received('m-2'), { first: true, lingerMs: 60_000 });
    await writer.write(step('m-2', 'processing', MessageStatus.Processing), { deferMs: 20 });
    await accepted;
    expect(commands.map((c) => `${c.collection}.${c.op}`)).toEqual([
      'skus.insertMany',
      'events.insertMany',
    ]);
    const [event] = commands[1].docs as { status: string; timeline: { step: string }[] }[];
    expect(event.status).toBe(MessageStatus.Processing);
    expect(event.timeline.map((entry) => entry.step)).toEqual(['received', 'processing']);
  });

  it('shutdown writes what is still lingering', async () => {
    const { writer, commands } = fakeStore();
    const written = writer.write(received('m-9'), { first: true, lingerMs: 60_000 });
    await writer.beforeApplicationShutdown();
    await written;
    expect(commands.filter((c) => c.op === 'insertMany').map((c) => c.collection)).toEqual([
      'skus',
      'events',
    ]);
  });
});
