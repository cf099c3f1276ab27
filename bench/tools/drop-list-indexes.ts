/**
 * Diagnostic, not a benchmark: what the events' list indexes cost a run. Waits until the service
 * has created them in DATABASE (default avvyr_bench, the bench's), drops them, and exits; run it
 * beside `npm run bench -- --only=processing` to measure processing without them (the service
 * creates them only at start-up, so they stay dropped for that run).
 *   npx ts-node --transpile-only bench/tools/drop-list-indexes.ts [DATABASE]
 */
import mongoose from 'mongoose';
import { EVENT_LIST_INDEXES } from '../../src/modules/events/integration-event.schema';
import { loadConfig, mongoUri } from '../config';

const indexName = (keys: Record<string, number>) =>
  Object.entries(keys)
    .map(([field, order]) => `${field}_${order}`)
    .join('_');

async function main(): Promise<void> {
  const database = process.argv[2] ?? 'avvyr_bench';
  const config = loadConfig([], process.env);
  const connection = await mongoose
    .createConnection(mongoUri(config.mongoBaseUri, database))
    .asPromise();
  const names = EVENT_LIST_INDEXES.map(indexName);
  const deadline = Date.now() + 300_000;
  try {
    for (;;) {
      const present = await connection
        .collection('integration_events')
        .indexes()
        .then((list) => list.map((index) => index.name))
        .catch(() => [] as (string | undefined)[]);
      if (names.every((name) => present.includes(name))) break;
      if (Date.now() > deadline) throw new Error(`the list indexes did not appear in ${database}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    for (const name of names) await connection.collection('integration_events').dropIndex(name);
    console.log(JSON.stringify({ database, dropped: names }));
  } finally {
    await connection.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
