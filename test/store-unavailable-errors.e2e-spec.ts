import { mongo } from 'mongoose';
import { isStoreUnavailable } from '../src/common/errors/store-unavailable';
import { PrivateStore } from './support/private-store';

/**
 * What the service counts as "the store could not be reached" (worth a 503 or a retry once it is
 * back) for a bulkWrite, against a real store and the real driver: the driver wraps any error it
 * meets before a server answers in a MongoBulkWriteError, so the class alone says nothing. Until
 * this was recognised, a projection bulkWrite during an outage failed instead of waiting, and a
 * message's last step could be lost (its event stayed `received`).
 */
describe('store reachability of bulkWrite failures', () => {
  let store: PrivateStore;
  let client: mongo.MongoClient;

  beforeAll(async () => {
    store = await PrivateStore.start();
    client = new mongo.MongoClient(store.uri('avvyr_test_unreachable'), {
      serverSelectionTimeoutMS: 500,
      connectTimeoutMS: 500,
    });
    await client.connect();
  });
  afterAll(async () => {
    await client?.close();
    await store?.stop();
  });

  const events = () => client.db().collection<{ _id: string; n?: number }>('events');
  const bump = (_id: string) => ({
    updateOne: { filter: { _id }, update: { $inc: { n: 1 } } },
  });
  const failureOf = async (write: () => Promise<unknown>): Promise<unknown> => {
    try {
      await write();
    } catch (error) {
      return error;
    }
    throw new Error('the write succeeded');
  };

  it('is not "unreachable" when the store answered with a write error (duplicate _id)', async () => {
    await events().insertOne({ _id: 'dup' });
    const error = await failureOf(() =>
      events().bulkWrite([{ insertOne: { document: { _id: 'dup' } } }]),
    );
    expect(error).toBeInstanceOf(mongo.MongoBulkWriteError);
    expect(isStoreUnavailable(error)).toBe(false);
  });

  it('is "unreachable" for every bulkWrite while the store is down, and the writes go through once it is back', async () => {
    await events().insertOne({ _id: 'a', n: 0 });
    await store.down();
    const failures = [];
    // The first finds the pooled connection gone (a network error), the next ones fail to select
    // a server: both are wrapped.
    for (let i = 0; i < 3; i++)
      failures.push(await failureOf(() => events().bulkWrite([bump('a')])));
    expect(failures.map((error) => [(error as Error).name, isStoreUnavailable(error)])).toEqual([
      ['MongoBulkWriteError', true],
      ['MongoBulkWriteError', true],
      ['MongoBulkWriteError', true],
    ]);
    await store.up();
    let result: mongo.BulkWriteResult | undefined;
    for (let attempt = 0; !result && attempt < 50; attempt++) {
      result = await events()
        .bulkWrite([bump('a')])
        .catch((error: unknown) => {
          if (!isStoreUnavailable(error)) throw error;
          return new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 200));
        });
    }
    expect(result?.modifiedCount).toBe(1);
    expect((await events().findOne({ _id: 'a' }))?.n).toBe(1); // none of the failed ones applied
  }, 60_000);
});
