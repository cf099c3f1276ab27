import type { FaultDto } from './fault.dto';

export interface Fault {
  action?: string;
  status: number;
  remaining: number;
  retryAfterSeconds?: number;
}

/** Injected faults of one sandbox: the next `times` calls of an action (or any) answer `status`. */
export class FaultPlan {
  private faults: Fault[] = [];

  add(dto: FaultDto): Fault[] {
    this.faults.push({
      action: dto.action,
      status: dto.status,
      remaining: dto.times,
      retryAfterSeconds: dto.retryAfterSeconds,
    });
    return this.list();
  }

  /** The next fault for this action (or any), consuming one of its `times`. */
  take(action: string): Fault | undefined {
    const fault = this.faults.find((f) => f.remaining > 0 && (!f.action || f.action === action));
    if (!fault) return undefined;
    fault.remaining--;
    this.faults = this.faults.filter((f) => f.remaining > 0);
    return fault;
  }

  clear(): void {
    this.faults = [];
  }

  list(): Fault[] {
    return this.faults.map((fault) => ({ ...fault }));
  }
}
