import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { IntegrationsModule } from '../integrations';
import { BoardQueues } from './board-queues';
import { BoardSession } from './board-session';

/** Bull Board's providers; `setupQueueBoard` mounts the board on the HTTP server. */
@Module({
  imports: [DiscoveryModule, IntegrationsModule],
  providers: [BoardQueues, BoardSession],
  exports: [BoardQueues, BoardSession],
})
export class QueueBoardModule {}
