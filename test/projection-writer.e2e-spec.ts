import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import mongoose, { Connection, Model, mongo } from 'mongoose';
import { testMongoUri } from './support/test-service';
import {
  IntegrationEvent,
  IntegrationEventSchema,
} from '../src/modules/events/integration-event.schema';
import { EventSku, EventSkuSchema } from '../src/modules/events/event-sku.schema';
import { MessageStatus, MessageStep } from '../src/modules/events/timeline/message-step';
import { ProjectionWriter } from '../src/modules/events/timeline/projection-writer';

/**
 * The projection writer against the real document store: steps that arrive late, twice, or
 * for an event that does not exist yet still leave the event as the steps say, forward only.
 */
describe('ProjectionWriter on the real store', () => {
  let connection: Connection;
  let events: Model<IntegrationEvent>;
  let skus: Model<EventSku>;
  let writer: ProjectionWriter;

  beforeAll(async () => {
    connection = await mongoose
      .createConnection(testMongoUri(`avvyr_test_writer_${randomUUID().slice(0, 8)}`))
      .asPromise();
    events = connection.model(IntegrationEvent.name, IntegrationEventSchema);
    skus = connection.model(EventSku.name, EventSkuSchema);
    writer = new ProjectionWriter(events, skus);
  });
  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  let clock = Date.parse('2026-11-29T10:00:00Z');
  function step(messageId: string, name: string, partial: Partial<MessageStep> = {}): MessageStep {
    return {
      context: {
        messageId,
        correlationId: 'corr-1',
        integrationId: 'int-1',
        accountId: 'acc-writer',
        receivedAt: '2026-11-29T10:00:00.000Z',
      },
      source: 'inbound',
      action: 'price.set',
      step: name,
      run: 0,
      attempt: 1,
      totalAttempts: 1,
      at: new Date((clock += 10)),
      ...partial,
    };
  }
  // As the inbound API records it: at the message's receivedAt.
  const received = (id: string) =>
    step(id, 'received', {
      status: MessageStatus.Received,
      attempt: 0,
      totalAttempts: 0,
      at: new Date('2026-11-29T10:00:00.000Z'),
    });
  const processing = (id: string, attempt = 1) =>
    step(id, 'processing', {
      status: MessageStatus.Processing,
      attempt,
      totalAttempts: attempt,
      payload: { items: [{ sku: 'A', price: 1 }] },
    });
  const retrying = (id: string) =>
    step(id, 'retrying', {
      status: MessageStatus.Retrying,
      error: { code: 'BACKEND_5XX', message: 'busy', retryable: true },
      nextAttemptAt: new Date(clock + 1000),
    });
  const succeeded = (id: string, attempt = 1) =>
    step(id, 'succeeded', {
      status: MessageStatus.Succeeded,
      attempt,
      totalAttempts: attempt,
      result: { ok: true },
    });

  const load = (id: string) => events.findById(id).lean();
  const steps = (doc: { timeline: { step: string }[] } | null) => doc?.timeline.map((e) => e.step);

  it('moves an existing event forward, one step at a time', async () => {
    const id = randomUUID();
    await writer.write(received(id), { first: true });
    await writer.write(processing(id));
    expect(await load(id)).toMatchObject({ status: 'processing', attempts: 1 });
    await writer.write(succeeded(id));
    const doc = await load(id);
    expect(doc).toMatchObject({ messageId: id, status: 'succeeded', result: { ok: true } });
    expect(doc?.completedAt).toBeInstanceOf(Date);
    expect(steps(doc)).toEqual(['received', 'processing', 'succeeded']);
  });

  it('merges steps of one message that meet in a batch, keeping the fields of each', async () => {
    const id = randomUUID();
    await writer.write(received(id), { first: true });
    // Written without awaiting each other: they land in the same batch.
    await Promise.all([
      writer.write(processing(id, 1)),
      writer.write(retrying(id)),
      writer.write(processing(id, 2)),
    ]);
    const doc = await load(id);
    expect(doc).toMatchObject({
      status: 'processing',
      attempts: 2,
      lastError: { code: 'BACKEND_5XX' },
    });
    expect(doc?.nextAttemptAt).toBeUndefined();
    expect(steps(doc)).toEqual(['received', 'processing', 'retrying', 'processing']);
  });

  it('never moves the status back when an earlier step lands late', async () => {
    const id = randomUUID();
    await writer.write(received(id), { first: true });
    const late = processing(id);
    await writer.write(succeeded(id));
    await writer.write(late);
    const doc = await load(id);
    expect(doc).toMatchObject({ status: 'succeeded', result: { ok: true } });
    expect(steps(doc)?.sort()).toEqual(['processing', 'received', 'succeeded']);
  });

  it('creates a missing event from a later step, with that step’s status and payload', async () => {
    const id = randomUUID();
    await writer.write(processing(id));
    const doc = await load(id);
    expect(doc).toMatchObject({
      messageId: id,
      status: 'processing',
      accountId: 'acc-writer',
      payload: { items: [{ sku: 'A', price: 1 }] },
    });
    // An inbound processing step restores the received step it implies.
    expect(steps(doc)).toEqual(['received', 'processing']);
  });

  it('records the SKUs of the payload an event is created with, once each', async () => {
    const id = randomUUID();
    const payload = { items: [{ sku: 'S-1' }, { sku: 'S-2' }, { sku: 'S-1' }] };
    await writer.write(step(id, 'received', { status: MessageStatus.Received, payload }), {
      first: true,
    });
    // A redelivered first step writes the same rows again: duplicates, skipped.
    await writer.write(step(id, 'received', { status: MessageStatus.Received, payload }), {
      first: true,
    });
    expect(await load(id)).toMatchObject({ skus: ['S-1', 'S-2'] });
    const rows = await skus.find({ messageId: id }).sort({ sku: 1 }).lean();
    expect(rows.map((r) => [r._id, r.sku, r.accountId])).toEqual([
      [`${id}:S-1`, 'S-1', 'acc-writer'],
      [`${id}:S-2`, 'S-2', 'acc-writer'],
    ]);
    expect(rows[0].receivedAt).toEqual(new Date('2026-11-29T10:00:00.000Z'));
  });

  it('records the SKUs when a later step creates the missing event', async () => {
    const id = randomUUID();
    await writer.write(processing(id));
    expect((await skus.find({ messageId: id }).lean()).map((r) => r.sku)).toEqual(['A']);
  });

  it('writes a repeated step once', async () => {
    const id = randomUUID();
    await writer.write(received(id), { first: true });
    const done = succeeded(id);
    await writer.write(done);
    await writer.write(done);
    expect(steps(await load(id))).toEqual(['received', 'succeeded']);
  });

  it('records an informational step without touching the status', async () => {
    const id = randomUUID();
    await writer.write(received(id), { first: true });
    await writer.write(succeeded(id));
    await writer.write(step(id, 'acknowledged', { detail: { by: 'avasam' } }));
    const doc = await load(id);
    expect(doc?.status).toBe('succeeded');
    expect(steps(doc)).toEqual(['received', 'succeeded', 'acknowledged']);
  });

  it('lets a deferred step share the write of the next step of its message', async () => {
    const id = randomUUID();
    await writer.write(received(id), { first: true });
    const inserts = jest.spyOn(events, 'bulkWrite');
    try {
      const held = writer.write(processing(id), { deferMs: 60_000 });
      await writer.write(succeeded(id));
      await held;
      expect(inserts).toHaveBeenCalledTimes(1);
    } finally {
      inserts.mockRestore();
    }
    const doc = await load(id);
    expect(doc).toMatchObject({ status: 'succeeded', attempts: 1 });
    expect(steps(doc)).toEqual(['received', 'processing', 'succeeded']);
  });

  it('writes a deferred step on its own when nothing follows it', async () => {
    const id = randomUUID();
    await writer.write(received(id), { first: true });
    await writer.write(processing(id), { deferMs: 20 });
    expect(await load(id)).toMatchObject({ status: 'processing' });
  });

  it('fails the steps of a batch that could not be applied, and goes on with the next', async () => {
    const id = randomUUID();
    const apply = jest
      .spyOn(writer as unknown as { apply: () => Promise<void> }, 'apply')
      .mockRejectedValueOnce(new Error('unexpected'));
    try {
      await expect(writer.write(received(id), { first: true })).rejects.toThrow('unexpected');
    } finally {
      apply.mockRestore();
    }
    await writer.write(processing(id));
    expect(await load(id)).toMatchObject({ status: 'processing' });
    expect(writer.backlog).toBe(0);
  });

  it('writes a batch again while the store cannot be reached, instead of dropping it', async () => {
    const id = randomUUID();
    const unreachable = new mongo.MongoNetworkError('connect ECONNREFUSED');
    const apply = jest
      .spyOn(writer as unknown as { apply: () => Promise<void> }, 'apply')
      .mockRejectedValueOnce(unreachable)
      .mockRejectedValueOnce(unreachable);
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    let calls = 0;
    try {
      await writer.write(received(id), { first: true });
      calls = apply.mock.calls.length;
    } finally {
      apply.mockRestore();
      warn.mockRestore();
    }
    expect(calls).toBe(3);
    expect(steps(await load(id))).toEqual(['received']);
    expect(writer.backlog).toBe(0);
  });

  it('projects a burst of messages mixing new, existing and missing events', async () => {
    const ids = Array.from({ length: 60 }, () => randomUUID());
    await Promise.all(ids.slice(0, 40).map((id) => writer.write(received(id), { first: true })));
    await Promise.all(ids.map((id) => writer.write(processing(id))));
    await Promise.all(ids.map((id) => writer.write(succeeded(id))));
    const docs = await events.find({ _id: { $in: ids } }).lean();
    expect(docs).toHaveLength(60);
    expect(docs.every((d) => d.status === 'succeeded')).toBe(true);
    expect(writer.backlog).toBe(0);
  });
});
