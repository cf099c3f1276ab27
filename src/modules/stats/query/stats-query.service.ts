import { Injectable, OnModuleInit } from '@nestjs/common';
import { ErrorCode, ServiceUnavailableError } from '../../../common/errors';
import { MessageSources, StatusCountsSource } from '../../events';
import type { StatusCountFilter, StatusCountReader, StatusCounts } from '../../events';
import { StatsStore } from '../counters/stats-store';
import type { StatsQueue, StatsResponse } from './stats.dto';
import { coveringBuckets, seriesBuckets, STATS_WINDOWS, StatsWindow } from './stats-window';
import { splitGroupKey, Tally, TallyFilter } from './tally';

const TOP_ERRORS = 10;

/** The overview's numbers, from the counters and BullMQ: nothing here reads an event. */
@Injectable()
export class StatsQueryService implements StatusCountReader, OnModuleInit {
  constructor(
    private readonly store: StatsStore,
    private readonly sources: MessageSources,
    private readonly statusCounts: StatusCountsSource,
  ) {}

  onModuleInit(): void {
    this.statusCounts.register(this);
  }

  async overview(
    accountId: string,
    window: StatsWindow,
    filter: TallyFilter = {},
  ): Promise<StatsResponse> {
    const now = Date.now();
    const points = seriesBuckets(window, now);
    const [hashes, queues] = await Promise.all([
      this.read(
        accountId,
        points.flatMap((p) => p.buckets),
      ),
      this.queues(),
    ]);
    const total = new Tally(filter);
    const perPoint: Tally[] = [];
    let offset = 0;
    for (const point of points) {
      const tally = new Tally(filter);
      for (const hash of hashes.slice(offset, offset + point.buckets.length)) {
        tally.add(hash);
        total.add(hash);
      }
      offset += point.buckets.length;
      perPoint.push(tally);
    }
    const groups = [...total.byGroup.keys()].sort().map((key) => ({
      ...splitGroupKey(key),
      received: perPoint.map((t) => t.byGroup.get(key)?.received ?? 0),
      succeeded: perPoint.map((t) => t.byGroup.get(key)?.succeeded ?? 0),
      failed: perPoint.map((t) => t.byGroup.get(key)?.failed ?? 0),
    }));
    const outcomes = total.totals.succeeded + total.totals.failed;
    const { step } = STATS_WINDOWS[window];
    return {
      window,
      from: new Date(points[0].time).toISOString(),
      to: new Date(now).toISOString(),
      totals: total.totals,
      failureRate: outcomes ? total.totals.failed / outcomes : null,
      series: { time: points.map((p) => p.time), stepSeconds: step / 1000, groups },
      topErrors: [...total.errors]
        .map(([code, { count, actions }]) => ({ code, count, actions: [...actions].sort() }))
        .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code))
        .slice(0, TOP_ERRORS),
      queues,
    };
  }

  /** For the events list: counts by status for the parts of its filter the counters know. */
  async countByStatus(accountId: string, filter: StatusCountFilter): Promise<StatusCounts> {
    const buckets = coveringBuckets(filter.from.getTime(), filter.to.getTime());
    const tally = new Tally(filter);
    for (const hash of await this.read(accountId, buckets)) tally.add(hash);
    const from = Math.floor(filter.from.getTime() / 60_000) * 60_000;
    return {
      from: new Date(from).toISOString(),
      to: filter.to.toISOString(),
      byStatus: tally.totals,
    };
  }

  private async read(accountId: string, buckets: Parameters<StatsStore['read']>[1]) {
    try {
      return await this.store.read(accountId, buckets);
    } catch {
      throw new ServiceUnavailableError(
        ErrorCode.StatsUnavailable,
        'The statistics cannot be read: Redis is unavailable. Retry shortly.',
      );
    }
  }

  /** Queue depth is the service's, not the account's: a queue holds every account's jobs. */
  private async queues(): Promise<StatsQueue[]> {
    const results = await Promise.allSettled(this.sources.all().map((source) => source.depth()));
    return results.flatMap((result) => {
      if (result.status !== 'fulfilled') return [];
      const { queue, source, counts, oldestWaitingAt } = result.value;
      return [
        {
          queue,
          source,
          counts,
          depth: (counts.waiting ?? 0) + (counts.prioritized ?? 0) + (counts.delayed ?? 0),
          oldestWaitingAt: oldestWaitingAt?.toISOString() ?? null,
        },
      ];
    });
  }
}
