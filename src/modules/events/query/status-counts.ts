import { Injectable } from '@nestjs/common';

/** What the counts of an events filter can be narrowed by (the counters' dimensions). */
export interface StatusCountFilter {
  from: Date;
  to: Date;
  integrationId?: string;
  action?: string;
  source?: string;
}

export interface StatusCounts {
  from: string;
  to: string;
  byStatus: Record<string, number>;
}

export interface StatusCountReader {
  countByStatus(accountId: string, filter: StatusCountFilter): Promise<StatusCounts>;
}

/**
 * Where the events list gets its counts by status: the stats module registers its pre-aggregated
 * counters here at start-up (as the queue modules register with MessageSources), so the list
 * never counts by scanning events.
 */
@Injectable()
export class StatusCountsSource {
  private reader?: StatusCountReader;

  register(reader: StatusCountReader): void {
    this.reader = reader;
  }

  get(): StatusCountReader | undefined {
    return this.reader;
  }
}
