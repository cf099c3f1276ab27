import { COUNTED_STATUSES, CountedStatus, parseField } from '../counters/stats-keys';

export interface TallyFilter {
  integrationId?: string;
  action?: string;
  source?: string;
}

export type StatusTotals = Record<CountedStatus, number>;

export function emptyTotals(): StatusTotals {
  return Object.fromEntries(COUNTED_STATUSES.map((s) => [s, 0])) as StatusTotals;
}

/**
 * Sums bucket hashes into what the overview shows: totals by status, by source + action, and
 * failures by error code, for the fields that match the filter.
 */
export class Tally {
  readonly totals = emptyTotals();
  readonly byGroup = new Map<string, StatusTotals>();
  readonly errors = new Map<string, { count: number; actions: Set<string> }>();

  constructor(private readonly filter: TallyFilter = {}) {}

  add(bucket: Record<string, string>): this {
    for (const [field, value] of Object.entries(bucket)) {
      const parsed = parseField(field);
      const n = Number(value);
      if (!parsed || !Number.isFinite(n)) continue;
      const { integrationId, action, source } = this.filter;
      if (integrationId && parsed.integrationId !== integrationId) continue;
      if (action && parsed.action !== action) continue;
      if (source && parsed.source !== source) continue;
      if (parsed.kind === 'e') {
        const entry = this.errors.get(parsed.code) ?? { count: 0, actions: new Set<string>() };
        entry.count += n;
        entry.actions.add(parsed.action);
        this.errors.set(parsed.code, entry);
        continue;
      }
      this.totals[parsed.status] += n;
      const group = groupKey(parsed.source, parsed.action);
      const totals = this.byGroup.get(group) ?? emptyTotals();
      totals[parsed.status] += n;
      this.byGroup.set(group, totals);
    }
    return this;
  }
}

export function groupKey(source: string, action: string): string {
  return `${source}\u0000${action}`;
}

export function splitGroupKey(key: string): { source: string; action: string } {
  const [source, action] = key.split('\u0000');
  return { source, action };
}
