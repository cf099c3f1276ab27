/**
 * Baseline A of the ingest benchmark: what a user could build instead of the service in a few
 * lines. A bare Fastify route that parses the JSON body and does `queue.add` on BullMQ for the
 * same Redis, nothing else: no authentication, no validation, no event tracking. Its batch route
 * does one `addBulk` per request.
 */
import { Queue } from 'bullmq';
import Fastify from 'fastify';
import { redisUrlOf } from '../../src/config/local-services';
import { createRedis, queuePrefix } from '../../src/config/redis';

async function main(): Promise<void> {
  const connection = createRedis(
    { REDIS_URL: redisUrlOf(), REDIS_CLUSTER_NODES: process.env.REDIS_CLUSTER_NODES },
    {
      maxRetriesPerRequest: null,
    },
  );
  const queue = new Queue(process.env.QUEUE_NAME ?? 'inbound', {
    connection,
    // Hash-tagged like ours, so the baseline also runs on a Redis Cluster (--redis=cluster).
    prefix: queuePrefix({ QUEUE_PREFIX: process.env.QUEUE_PREFIX ?? 'bench-baseline' }),
  });
  const app = Fastify({ logger: false, bodyLimit: 5 * 1024 * 1024 });
  app.post('/integrations/custom/inbound', async (request, reply) => {
    const body = request.body as { action: string };
    const job = await queue.add(body.action, body);
    return reply.code(202).send({ messageId: job.id });
  });
  // The batch baseline: one addBulk for the whole list, nothing else.
  app.post('/integrations/custom/inbound/batch', async (request, reply) => {
    const { messages } = request.body as { messages: { action: string }[] };
    const jobs = await queue.addBulk(messages.map((body) => ({ name: body.action, data: body })));
    return reply
      .code(202)
      .send({ results: jobs.map((job, index) => ({ index, messageId: job.id })) });
  });
  await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
  process.once('SIGTERM', () => {
    void app
      .close()
      .then(() => queue.close())
      .then(() => connection.quit())
      .finally(() => process.exit(0));
  });
}

void main();
