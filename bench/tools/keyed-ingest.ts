/**
 * Diagnostic: the cost of the Idempotency-Key check against the events store. Alternates
 * unkeyed and keyed rounds (a fresh key per request, so every keyed request is a first sight
 * and pays the store read) against one service, and prints req/s and CPU per request.
 *   npx ts-node --transpile-only bench/tools/keyed-ingest.ts [seconds per round]
 */
import autocannon from 'autocannon';
import { randomUUID } from 'node:crypto';
import { loadConfig, mongoUri } from '../config';
import { seedMix } from '../lib/payloads';
import { startService } from '../lib/service';
import { BenchRedis, dropDatabase } from '../lib/stores';
import { readFileSync } from 'node:fs';
import { INBOUND_QUEUE } from '../../src/modules/inbound/inbound-queue';

async function main(): Promise<void> {
  const seconds = Number(process.argv[2] ?? 8);
  const config = loadConfig(['--only=ingest'], process.env);
  const names = { database: 'bench-keyed-ingest', queuePrefix: 'bench-keyed' };
  await dropDatabase(mongoUri(config.mongoBaseUri, names.database));
  const service = await startService(config, names, 'keyed-ingest');
  const bodies = seedMix().map((body) => JSON.stringify(body));
  // As the ingest scenario does: the worker paused, so the rounds measure the API alone.
  const redis = new BenchRedis(config.redisUrl);
  const queue = redis.queue(names.queuePrefix, INBOUND_QUEUE);
  await queue.pause();
  /** The service process's CPU time so far (utime + stime, in clock ticks of 10 ms). */
  const cpuMs = () => {
    const fields = readFileSync(`/proc/${service.child.pid}/stat`, 'utf8')
      .split(') ')[1]
      .split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  };
  const round = async (keyed: boolean) => {
    let n = 0;
    const before = cpuMs();
    const result = await autocannon({
      url: `${service.url}/integrations/custom/inbound`,
      connections: config.ingest.connections,
      duration: seconds,
      requests: [
        {
          method: 'POST',
          setupRequest: (request) => ({
            ...request,
            headers: {
              'content-type': 'application/json',
              authorization: `Bearer ${service.apiKey}`,
              ...(keyed && { 'idempotency-key': randomUUID() }),
            },
            body: bodies[n++ % bodies.length],
          }),
        },
      ],
    });
    const cpu = (cpuMs() - before) / result['2xx'];
    console.log(
      `${keyed ? 'keyed  ' : 'unkeyed'} ${result.requests.average.toFixed(1)} req/s, ` +
        `p99 ${result.latency.p99} ms, ${cpu.toFixed(3)} ms CPU per request, non-2xx ${result.non2xx}`,
    );
  };
  try {
    for (let pair = 0; pair < 3; pair++) {
      await round(false);
      await round(true);
    }
  } finally {
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    await redis.close();
    await service.child.stop();
  }
}

void main();
