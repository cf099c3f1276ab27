import { Injectable } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { Queue } from 'bullmq';

/**
 * Every BullMQ queue the service registered with `BullModule.registerQueue`, found among the
 * application's providers, so a module that adds a queue shows up on the board without this
 * module knowing its name.
 */
@Injectable()
export class BoardQueues {
  constructor(private readonly discovery: DiscoveryService) {}

  all(): Queue[] {
    const byName = new Map<string, Queue>();
    for (const wrapper of this.discovery.getProviders()) {
      const instance: unknown = wrapper.isDependencyTreeStatic() ? wrapper.instance : undefined;
      if (!(instance instanceof Queue)) continue;
      const queue = instance as Queue;
      // A queue registered in several modules is one queue in Redis: show it once.
      if (!byName.has(queue.name)) byName.set(queue.name, queue);
    }
    return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
  }
}
