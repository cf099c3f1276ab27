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

  it('keeps every update of bulkWrites over the same documents sent at once from two clients', async () => {
    // The projection writes up to 16 events per bulkWrite, each statement naming its own _id;
    // the local store writes such a command in one transaction and holds its documents from
    // the first read to the commit (scripts/ferretdb/batched-updates.patch). Opposite orders
    // on the two clients would deadlock if those locks were taken in statement order.
    const ids = Array.from({ length: 16 }, (_, i) => `bulk-${i}`);
    const docs = () => api.collection<{ _id: string; tags: string[] }>('bulk');
    await docs().insertMany(ids.map((_id) => ({ _id, tags: [] })));
    const tagAll = (connection: Connection, tag: string, order: string[]) =>
      connection.collection('bulk').bulkWrite(
        order.map((_id) => ({
          updateOne: { filter: { _id: _id as never }, update: { $addToSet: { tags: tag } } },
        })),
        { ordered: true },
      );
    const rounds = 25;
    for (let round = 0; round < rounds; round++) {
      const results = await Promise.all([
        tagAll(api, `api-${round}`, ids),
        tagAll(worker, `worker-${round}`, [...ids].reverse()),
      ]);
      expect(results.map((r) => [r.matchedCount, r.modifiedCount])).toEqual([
        [16, 16],
        [16, 16],
      ]);
    }
    const short = (await docs().find().toArray()).filter((d) => d.tags.length !== 2 * rounds);
    expect(short.map((d) => `${d._id}: ${d.tags.length}`)).toEqual([]);
  }, 120_000);

  it('applies an ordered bulkWrite of updates up to a failing one, and none after it', async () => {
    const docs = () => api.collection<{ _id: string; n: number }>('ordered');
    await docs().insertMany([
      { _id: 'first', n: 1 },
      { _id: 'bad', n: 'text' as unknown as number }, // $inc cannot apply to it
      { _id: 'after', n: 1 },
    ]);
    const bump = (_id: string) => ({
      updateOne: { filter: { _id }, update: { $inc: { n: 1 } } },
    });
    await expect(
      docs().bulkWrite([bump('first'), bump('bad'), bump('after')], { ordered: true }),
    ).rejects.toThrow(/\$inc|non-numeric|TypeMismatch/i);
    const stored = Object.fromEntries((await docs().find().toArray()).map((d) => [d._id, d.n]));
    expect(stored).toEqual({ first: 2, bad: 'text', after: 1 });
  }, 60_000);

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
