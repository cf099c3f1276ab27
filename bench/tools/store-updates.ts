/**
 * Diagnostic, not a benchmark: the document store alone, the way the timeline writes it. Inserts
 * N event-shaped documents (50 per insertMany) into a collection with the events' list indexes,
 * then moves each forward once (`{_id, statusRank: {$lt}}` with $set / $addToSet / $max, as
 * event-patch.ts's forwardUpdate does) from C concurrent clients; prints documents per second.
 * `--no-list-indexes` keeps only `_id` and `receivedAt`, to see what the list indexes cost.
 * `--bulk=K` sends the updates K to a bulkWrite, as the projection writer does (16), to see what
 * writing a command's updates in one transaction saves (scripts/ferretdb/batched-updates.patch).
 *   npx ts-node --transpile-only bench/tools/store-updates.ts [N] [C] [--no-list-indexes] [--bulk=K]
 * (the store of LOCAL_MONGO_PORT / MONGODB_URI, database bench-store-updates, dropped after).
 */
import mongoose from 'mongoose';
import { EVENT_LIST_INDEXES } from '../../src/modules/events/integration-event.schema';
import { loadConfig, mongoUri } from '../config';

async function main(): Promise<void> {
  const [n = 1500, clients = 8] = process.argv
    .slice(2)
    .filter((arg) => !arg.startsWith('--'))
    .map(Number);
  const listIndexes = !process.argv.includes('--no-list-indexes');
  const bulkArg = process.argv.find((arg) => arg.startsWith('--bulk='));
  const bulk = bulkArg ? Number(bulkArg.slice('--bulk='.length)) : 1;
  const config = loadConfig([], process.env);
  const connection = await mongoose
    .createConnection(mongoUri(config.mongoBaseUri, 'bench-store-updates'))
    .asPromise();
  try {
    await connection.dropDatabase();
    const events = connection.collection<Record<string, unknown>>('events');
    for (const keys of listIndexes ? EVENT_LIST_INDEXES : []) await events.createIndex(keys);
    await events.createIndex({ receivedAt: 1 });

    const at = () => new Date();
    const event = (i: number) => ({
      _id: `m-${i}` as never,
      accountId: 'acc-bench',
      integrationId: 'int-bench',
      source: 'inbound',
      action: 'inventory.set',
      status: 'received',
      statusRank: 0,
      receivedAt: at(),
      skus: [`SKU-${i}`],
      payload: { items: [{ sku: `SKU-${i}`, quantity: i }] },
      timeline: [{ step: 'received', at: at(), run: 0, attempt: 0, status: 'received' }],
      attempts: 0,
      updatedAt: at(),
    });
    const insertStart = Date.now();
    for (let i = 0; i < n; i += 50) {
      const chunk = Array.from({ length: Math.min(50, n - i) }, (_, k) => event(i + k));
      await events.insertMany(chunk, { ordered: false });
    }
    const insertMs = Date.now() - insertStart;

    const updateStart = Date.now();
    const forward = (i: number) => ({
      filter: { _id: `m-${i}` as never, statusRank: { $lt: 100 } },
      update: {
        $set: {
          status: 'succeeded',
          statusRank: 100,
          result: { applied: 1 },
          completedAt: at(),
        },
        $addToSet: {
          timeline: {
            $each: [
              { step: 'processing', at: at(), run: 0, attempt: 1, status: 'processing' },
              { step: 'succeeded', at: at(), run: 0, attempt: 1, status: 'succeeded' },
            ],
          },
        },
        $max: { attempts: 1 },
      } as never,
    });
    // Client `lane` moves documents lane, lane + C, lane + 2C…, K of them per command.
    await Promise.all(
      Array.from({ length: clients }, async (_, lane) => {
        for (let first = lane; first < n; first += clients * bulk) {
          const mine = Array.from({ length: bulk }, (_, k) => first + k * clients).filter(
            (i) => i < n,
          );
          if (bulk === 1) {
            const { filter, update } = forward(mine[0]);
            await events.updateOne(filter, update);
          } else {
            await events.bulkWrite(
              mine.map((i) => ({ updateOne: forward(i) })),
              { ordered: true },
            );
          }
        }
      }),
    );
    const updateMs = Date.now() - updateStart;
    console.log(
      JSON.stringify({
        documents: n,
        clients,
        listIndexes: listIndexes ? EVENT_LIST_INDEXES.length : 0,
        updatesPerCommand: bulk,
        insertsPerSecond: Math.round(n / (insertMs / 1000)),
        updatesPerSecond: Math.round(n / (updateMs / 1000)),
      }),
    );
  } finally {
    await connection.dropDatabase().catch(() => undefined);
    await connection.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
