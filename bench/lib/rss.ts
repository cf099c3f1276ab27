import { readFileSync } from 'node:fs';

/** Resident set size of a process in MB, read from /proc (Linux); undefined once it is gone. */
export function rssMb(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1];
    return kb ? Number(kb) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * CPU time (user + system) a process has used so far, in seconds, from /proc/<pid>/stat;
 * undefined once it is gone. Clock ticks are 1/100 s on Linux.
 */
export function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** Samples a process's RSS every `intervalMs` and remembers the peak of each named phase. */
export class RssSampler {
  private readonly peaks = new Map<string, number>();
  private timer?: NodeJS.Timeout;
  private phase?: string;

  constructor(
    private readonly pid: () => number | undefined,
    private readonly intervalMs = 100,
  ) {}

  start(phase: string): void {
    this.stop();
    this.phase = phase;
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  peak(phase: string): number {
    return this.peaks.get(phase) ?? 0;
  }

  private sample(): void {
    const pid = this.pid();
    const mb = pid ? rssMb(pid) : undefined;
    if (mb === undefined || !this.phase) return;
    this.peaks.set(this.phase, Math.max(this.peaks.get(this.phase) ?? 0, mb));
  }
}
