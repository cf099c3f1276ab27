import type { BenchConfig } from '../config';
import { INBOUND_QUEUE } from '../../src/modules/inbound/inbound-queue';
import { answersHttp, NodeChild } from './child';
import { freePort } from './ports';

/** The bench's bare baseline (bench/baseline/fastify-ingest.ts), started and answering. */
export interface FastifyBaseline {
  child: NodeChild;
  /** Its inbound route, as ours: `/integrations/custom/inbound` (and `/batch`). */
  inboundUrl: string;
}

/**
 * Starts the bare Fastify route doing `queue.add` (what a user could write instead of us) as a
 * child process on a free port, queueing under `queuePrefix`; resolves once it answers HTTP.
 */
export async function startFastifyBaseline(
  config: BenchConfig,
  queuePrefix: string,
  name: string,
): Promise<FastifyBaseline> {
  const port = await freePort();
  const child = new NodeChild(
    name,
    ['-r', 'ts-node/register/transpile-only', 'bench/baseline/fastify-ingest.ts'],
    {
      PORT: String(port),
      REDIS_URL: config.redisUrl,
      QUEUE_PREFIX: queuePrefix,
      QUEUE_NAME: INBOUND_QUEUE,
    },
  );
  try {
    await child.waitUntil(() => answersHttp(`http://127.0.0.1:${port}/`));
  } catch (error) {
    await child.stop();
    throw error;
  }
  return { child, inboundUrl: `http://127.0.0.1:${port}/integrations/custom/inbound` };
}
