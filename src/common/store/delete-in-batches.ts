import type { Document, Filter } from 'mongodb';

/**
 * Most documents one delete names. The local store (FerretDB on SQLite) deletes the documents a
 * filter matches by listing their ids as SQL variables in one statement, and SQLite takes at
 * most 32,766: a deleteMany matching more fails as a whole ("too many SQL variables"), so an
 * hourly retention run facing more expired events than that would fail every hour from then on.
 * On MongoDB, bounded deletes also keep each operation short.
 */
export const DELETE_BATCH = 10_000;

/** What deleteInBatches needs of a collection (the driver's, or a Mongoose model's `.collection`). */
export interface DeletableCollection<T extends Document> {
  find(
    filter: Filter<T>,
    options: { projection: { _id: 1 } },
  ): { limit(n: number): { toArray(): Promise<Array<{ _id: unknown }>> } };
  deleteMany(filter: Filter<T>): Promise<{ deletedCount: number }>;
}

/**
 * Deletes every document matching `filter`, at most `batch` at a time (their ids read first, then
 * deleted by id), until none is left. Returns how many were deleted. A document inserted
 * meanwhile that matches is deleted by a later round.
 */
export async function deleteInBatches<T extends Document>(
  collection: DeletableCollection<T>,
  filter: Filter<T>,
  batch = DELETE_BATCH,
): Promise<number> {
  let deleted = 0;
  for (;;) {
    const ids = (
      await collection
        .find(filter, { projection: { _id: 1 } })
        .limit(batch)
        .toArray()
    ).map((doc) => doc._id);
    if (!ids.length) return deleted;
    deleted += (await collection.deleteMany({ _id: { $in: ids } } as Filter<T>)).deletedCount;
  }
}
