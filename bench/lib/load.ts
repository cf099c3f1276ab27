import autocannon from 'autocannon';
import { round } from './stats';
import type { InboundBody } from './payloads';

export interface LoadResult {
  requestsPerSec: number;
  p50: number;
  p99: number;
  p999: number;
  accepted: number;
  errors: number;
  non2xx: number;
  durationSec: number;
}

export interface LoadOptions {
  url: string;
  apiKey?: string;
  bodies: InboundBody[];
  connections: number;
  durationSec: number;
  /** Requests per second across all connections; unset means as fast as the server answers. */
  overallRate?: number;
}

/** One autocannon run: every connection cycles through `bodies` in order. */
export async function load(options: LoadOptions): Promise<LoadResult> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.durationSec,
    overallRate: options.overallRate,
    requests: options.bodies.map((body) => ({
      method: 'POST' as const,
      headers,
      body: JSON.stringify(body),
    })),
  });
  return {
    requestsPerSec: round(result.requests.average, 1),
    p50: result.latency.p50,
    p99: result.latency.p99,
    p999: result.latency.p99_9,
    accepted: result['2xx'],
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    durationSec: round(result.duration, 2),
  };
}
