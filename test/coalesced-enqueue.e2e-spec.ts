import { Logger } from '@nestjs/common';
import IORedis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { Env, loadEnv } from '../src/config/env';
import { queuePrefix } from '../src/config/redis';
import { newMessageContext } from '../src/common/context';
import { MessageSources } from '../src/modules/events/retry/message-sources';
import { InboundQueueService } from '../src/modules/inbound/inbound-queue.service';
import { INBOUND_QUEUE } from '../src/modules/inbound/inbound-queue';
import { newInboundJob } from '../src/modules/inbound/accept-message/accept-message.handler';
import { MessageOrdering } from '../src/modules/ordering';
import { PrivateRedis } from './support/private-redis';

/**
 * Single messages accepted together share one Redis transaction (README "Ordering" and
 * "Benchmarks"): checked on a Redis of the test's own, by its MULTI count and the jobs it holds.
 */
describe('Single messages accepted in the same turn share one transaction', () => {
  let redis: PrivateRedis;
  let client: IORedis;
  let queue: InboundQueueService;
  let ordering: MessageOrdering;
  let env: Env;

  beforeAll(async () => {
    // The queue logs the refused transaction of the third test: expected, not worth printing.
    Logger.overrideLogger(false);
    redis = await PrivateRedis.start();
    client = new IORedis(redis.url);
    client.on('error', () => undefined); // the third test stops Redis on purpose
    env = loadEnv({ ...process.env, REDIS_URL: redis.url, QUEUE_PREFIX: 'coalesce' });
    ordering = new MessageOrdering(env);
    queue = new InboundQueueService(env, new MessageSources(), ordering);
    await queue.onModuleInit();
  });

  afterAll(async () => {
    await queue.onApplicationShutdown();
    client.disconnect();
    await redis.stop();
  });

  const multiCalls = async () => {
    const stats = await client.info('commandstats');
    return Number(/cmdstat_multi:calls=(\d+)/.exec(stats)?.[1] ?? 0);
  };
  const job = (sku: string, quantity: number) =>
    newInboundJob(
      newMessageContext(randomUUID(), randomUUID(), {
        id: 'int-1',
        accountId: 'acc-1',
        service: 'custom',
      } as never),
      { action: 'inventory.set', data: { items: [{ sku, quantity }] } } as never,
    );

  it('queues 50 concurrent messages in one MULTI, each with its own place in call order', async () => {
    const before = await multiCalls();
    const jobs = Array.from({ length: 50 }, (_, i) => job('CHAIR', i));
    const queued = await Promise.all(jobs.map((data) => queue.enqueue(data)));
    expect((await multiCalls()) - before).toBe(1);
    expect(queued.every((q) => q.created)).toBe(true);
    const seqs = queued.map((q) => q.data.context.order!.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(50);
    for (const data of jobs) {
      expect(await queue.peek(data.context.messageId)).toEqual(
        expect.objectContaining({ payload: data.payload }),
      );
    }
  });

  it("a retry that has no place (read from the job) keeps the message's place instead of queueing behind itself", async () => {
    const data = job('SOFA', 3);
    const queued = await queue.enqueue(data);
    const place = queued.data.context.order!;
    // The job as stored carries no place: a retry that reads the message from it has none.
    expect((await queue.peek(data.context.messageId))?.context.order).toBeUndefined();

    const multi = client.multi();
    ordering.register(
      multi,
      `${queuePrefix(env)}:${INBOUND_QUEUE}:${data.context.messageId}`,
      { source: 'inbound', messageId: data.context.messageId, accountId: 'acc-1' },
      queue.unitsOf(data),
      { force: true },
    );
    const [[error, again]] = (await multi.exec())!;
    expect(error).toBeNull();
    expect(again).toEqual([place.seq, Date.parse(place.at)]);
  });

  it('gives messages accepted in later turns a transaction each', async () => {
    const before = await multiCalls();
    await queue.enqueue(job('DESK', 1));
    await queue.enqueue(job('DESK', 2));
    expect((await multiCalls()) - before).toBe(2);
  });

  it('fails every message of a transaction Redis refused, and queues none of them', async () => {
    await redis.down();
    const jobs = [job('LAMP', 1), job('LAMP', 2)];
    const outcomes = await Promise.allSettled(jobs.map((data) => queue.enqueue(data)));
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    await redis.up();
    for (const data of jobs) {
      expect(
        await client.exists(`${queuePrefix(env)}:${INBOUND_QUEUE}:${data.context.messageId}`),
      ).toBe(0);
    }
  });
});
