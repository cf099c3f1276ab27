import { coveringBuckets, seriesBuckets } from './stats-window';

const MIN = 60_000;

describe('stats windows', () => {
  const now = Date.UTC(2026, 0, 1, 10, 30, 20);

  it('1h: 60 one-minute points ending with the current minute', () => {
    const points = seriesBuckets('1h', now);
    expect(points).toHaveLength(60);
    expect(points[59].time).toBe(Date.UTC(2026, 0, 1, 10, 30));
    expect(points[59].buckets).toEqual([{ size: 'm', index: Date.UTC(2026, 0, 1, 10, 30) / MIN }]);
  });

  it('24h: 96 points of 15 minute buckets each', () => {
    const points = seriesBuckets('24h', now);
    expect(points).toHaveLength(96);
    expect(points.every((p) => p.buckets.length === 15)).toBe(true);
    expect(points[95].time).toBe(Date.UTC(2026, 0, 1, 10, 30));
  });

  it('7d: 168 hour buckets', () => {
    const points = seriesBuckets('7d', now);
    expect(points).toHaveLength(168);
    expect(points[167].buckets).toEqual([
      { size: 'h', index: Date.UTC(2026, 0, 1, 10) / 3_600_000 },
    ]);
  });

  it('covers a day with whole hours and minute ends, and every minute once', () => {
    const from = now - 24 * 3_600_000;
    const buckets = coveringBuckets(from, now);
    expect(buckets.filter((b) => b.size === 'h')).toHaveLength(23);
    const minutes = new Set<number>();
    for (const b of buckets) {
      const span = b.size === 'h' ? 60 : 1;
      for (let i = 0; i < span; i++) {
        const minute = b.size === 'h' ? b.index * 60 + i : b.index;
        expect(minutes.has(minute)).toBe(false);
        minutes.add(minute);
      }
    }
    expect(Math.min(...minutes)).toBe(Math.floor(from / MIN));
    expect(Math.max(...minutes)).toBe(Math.floor(now / MIN));
    expect(minutes.size).toBe(Math.floor(now / MIN) - Math.floor(from / MIN) + 1);
  });

  it('covers a short span with minutes only', () => {
    expect(coveringBuckets(now - 5 * MIN, now)).toHaveLength(6);
  });
});
