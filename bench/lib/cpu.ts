import { cpuSeconds } from './rss';
import { listeningPid } from './store-process';

/** Named processes (by pid) whose CPU time a scenario reads; undefined when not found. */
export type Processes = Record<string, number | undefined>;

/** The document store's and Redis's processes, found by the ports in the service's settings. */
export function storeAndRedis(env: Record<string, string>): Processes {
  return {
    store: listeningPid(portOf(env.MONGODB_URI, 27017)),
    redis: listeningPid(portOf(env.REDIS_URL, 6379)),
  };
}

export function portOf(uri: string, fallback: number): number {
  return Number(new URL(uri).port || fallback);
}

/** CPU seconds each process has used so far. */
export function cpuNow(processes: Processes): Record<string, number | undefined> {
  return Object.fromEntries(
    Object.entries(processes).map(([name, pid]) => [name, pid && cpuSeconds(pid)]),
  );
}

/** ms of CPU per unit of work each process spent between two `cpuNow` readings. */
export function cpuMsPer(
  before: Record<string, number | undefined>,
  after: Record<string, number | undefined>,
  units: number,
): Record<string, number | undefined> {
  return Object.fromEntries(
    Object.keys(before).map((name) => {
      const [b, a] = [before[name], after[name]];
      return [
        name,
        b === undefined || a === undefined || !units
          ? undefined
          : Math.round(((a - b) * 1000 * 100) / units) / 100,
      ];
    }),
  );
}
