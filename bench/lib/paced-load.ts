import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import type { LoadResult } from './load';
import type { InboundBody } from './payloads';
import { round } from './stats';

export interface PacedLoadOptions {
  url: string;
  apiKey?: string;
  bodies: InboundBody[];
  /** Requests per second, sent evenly spaced. */
  rate: number;
  durationSec: number;
  /** Most requests in flight at once (keep-alive connections). */
  connections: number;
}

/**
 * An open-loop load at a fixed rate: request i is due at start + i/rate, whether or not earlier
 * ones have been answered, and its latency counts from when it was due (so a stall is not
 * hidden by requests that were never sent: no coordinated omission).
 *
 * autocannon's `overallRate` is a budget per second per connection: each connection sends
 * back to back until its budget is spent, then waits for the next second. At "50 % of max" that
 * is a full-speed burst for half of every second, which measures latency under full load.
 */
export async function pacedLoad(options: PacedLoadOptions): Promise<LoadResult> {
  const target = new URL(options.url);
  const pool = new Pool(target.origin, { connections: options.connections, pipelining: 1 });
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
  const payloads = options.bodies.map((body) => JSON.stringify(body));
  const total = Math.round(options.rate * options.durationSec);
  const intervalMs = 1000 / options.rate;
  const latencies: number[] = [];
  let accepted = 0;
  let non2xx = 0;
  let errors = 0;
  const inFlight = new Set<Promise<void>>();

  const send = (i: number, due: number) => {
    const request = pool
      .request({
        method: 'POST',
        path: target.pathname,
        headers,
        body: payloads[i % payloads.length],
      })
      .then(async (response) => {
        await response.body.dump();
        latencies.push(performance.now() - due);
        if (response.statusCode >= 200 && response.statusCode < 300) accepted++;
        else non2xx++;
      })
      .catch(() => {
        errors++;
      })
      .finally(() => inFlight.delete(request));
    inFlight.add(request);
  };

  const start = performance.now();
  let next = 0;
  while (next < total) {
    const now = performance.now();
    while (next < total && start + next * intervalMs <= now) {
      send(next, start + next * intervalMs);
      next++;
    }
    // Sleep until the next request is due (timers fire at about 1 ms resolution).
    await new Promise((resolve) =>
      setTimeout(resolve, Math.max(0, start + next * intervalMs - performance.now())),
    );
  }
  await Promise.all(inFlight);
  const seconds = (performance.now() - start) / 1000;
  await pool.close();

  const sorted = latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    sorted.length
      ? round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))], 1)
      : 0;
  return {
    requestsPerSec: round(accepted / seconds, 1),
    p50: at(0.5),
    p99: at(0.99),
    p999: at(0.999),
    accepted,
    errors,
    non2xx,
    durationSec: round(seconds, 2),
  };
}
