import type { RedisClient } from '../../config/redis';

/**
 * Ends a Redis client without hanging: QUIT on a live connection, an immediate disconnect
 * otherwise. (QUIT on a reconnecting client waits in its offline queue for a Redis that may
 * never come back, which would block shutdown forever.)
 */
export async function closeRedis(client: RedisClient): Promise<void> {
  if (client.status === 'ready') {
    await client.quit().catch(() => undefined);
  }
  client.disconnect();
}
