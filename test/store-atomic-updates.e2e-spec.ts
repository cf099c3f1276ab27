import { randomBytes } from 'node:crypto';
import mongoose, { Connection } from 'mongoose';
import { testMongoUri } from './support/test-service';

/**
 * The document store applies each update of a document atomically, as MongoDB does: an event is
 * written by the API (its `received` and `manual-retry` steps) and by the workers (the steps of
 * its runs), each on connections of its own, and a lost write would drop a step or a status.
 * Upstream FerretDB v1.24.2 reads the document, applies the update in Go and writes it back with
 * nothing in between: of 300 concurrent pairs below, it lost one update in 285–291
 * (scripts/ferretdb/atomic-updates.patch).
 */
describe('document store: concurrent updates of one document', () => {
  const dbName = `avvyr_test_atomic_${randomBytes(4).toString('hex')}`;
  let api: Connection;
  let worker: Connection;

  beforeAll(async () => {
    // Two clients, as the API and a worker process are: two connection pools.
    api = await mongoose.createConnection(testMongoUri(dbName)).asPromise();
    worker = await mongoose.createConnection(testMongoUri(dbName)).asPromise();
  });

  afterAll(async () => {
    await api?.dropDatabase();
    await Promise.all([api?.close(), worker?.close()]);
  });

  it('keeps both of two updates sent at once from two clients ($addToSet, $set)', async () => {
    const events = () => api.collection<{ _id: string; timeline: string[] }>('events');
    const lost: string[] = [];
    for (let i = 0; i < 150; i++) {
      const _id = `event-${i}`;
      await events().insertOne({ _id, timeline: ['received'] });
      await Promise.all([
        api
          .collection('events')
          .updateOne(
            { _id: _id as never, status: { $ne: 'x' } },
            { $addToSet: { timeline: 'manual-retry' }, $set: { byApi: true } },
          ),
        worker
          .collection('events')
          .updateOne(
            { _id: _id as never },
            { $addToSet: { timeline: 'succeeded' }, $set: { status: 'succeeded' } },
          ),
      ]);
      const doc = await events().findOne({ _id });
      if (doc?.timeline.length !== 3 || !('byApi' in doc) || !('status' in doc)) lost.push(_id);
    }
    expect(lost).toEqual([]);
  }, 120_000);

  it('counts every one of concurrent increments from two clients (findOneAndUpdate)', async () => {
    await api.collection('counters').insertOne({ _id: 'c' as never, n: 0 });
    const bump = (connection: Connection) =>
      connection
        .collection('counters')
        .findOneAndUpdate({ _id: 'c' as never }, { $inc: { n: 1 } }, { returnDocument: 'after' });
    await Promise.all(
      Array.from({ length: 10 }, (_, lane) =>
        (async () => {
          for (let i = 0; i < 20; i++) await bump(lane % 2 ? worker : api);
        })(),
      ),
    );
    expect((await api.collection('counters').findOne({ _id: 'c' as never }))?.n).toBe(200);
  }, 120_000);
});
