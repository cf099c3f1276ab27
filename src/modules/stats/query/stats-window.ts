import { BUCKET_MS, BucketSize, HOUR_MS, MINUTE_MS } from '../counters/stats-keys';

/** The overview's windows: how far back, and the chart's step (a whole number of buckets). */
export const STATS_WINDOWS = {
  '1h': { span: HOUR_MS, bucket: 'm', step: MINUTE_MS },
  '24h': { span: 24 * HOUR_MS, bucket: 'm', step: 15 * MINUTE_MS },
  '7d': { span: 7 * 24 * HOUR_MS, bucket: 'h', step: HOUR_MS },
} as const satisfies Record<string, { span: number; bucket: BucketSize; step: number }>;
export type StatsWindow = keyof typeof STATS_WINDOWS;
export const STATS_WINDOW_NAMES = Object.keys(STATS_WINDOWS) as StatsWindow[];

export interface Bucket {
  size: BucketSize;
  index: number;
}

/** The chart's points (start times) and the buckets of each, ending with the current one. */
export function seriesBuckets(
  window: StatsWindow,
  now: number,
): { time: number; buckets: Bucket[] }[] {
  const { span, bucket, step } = STATS_WINDOWS[window];
  const perStep = step / BUCKET_MS[bucket];
  const lastStep = Math.floor(now / step) * step;
  const points: { time: number; buckets: Bucket[] }[] = [];
  for (let time = lastStep - span + step; time <= lastStep; time += step) {
    const first = time / BUCKET_MS[bucket];
    points.push({
      time,
      buckets: Array.from({ length: perStep }, (_, i) => ({ size: bucket, index: first + i })),
    });
  }
  return points;
}

/**
 * The fewest buckets covering [from, to) to the minute: whole hours from hour buckets, the
 * ragged ends from minute buckets (a day is 23 hour + at most 120 minute reads, not 1,440).
 */
export function coveringBuckets(from: number, to: number): Bucket[] {
  const m0 = Math.floor(from / MINUTE_MS);
  const m1 = Math.max(m0, Math.ceil(to / MINUTE_MS));
  const h0 = Math.ceil(m0 / 60);
  const h1 = Math.floor(m1 / 60);
  const minutes = (a: number, b: number) =>
    Array.from({ length: Math.max(0, b - a) }, (_, i): Bucket => ({ size: 'm', index: a + i }));
  if (h1 <= h0) return minutes(m0, m1);
  return [
    ...minutes(m0, h0 * 60),
    ...Array.from({ length: h1 - h0 }, (_, i): Bucket => ({ size: 'h', index: h0 + i })),
    ...minutes(h1 * 60, m1),
  ];
}
