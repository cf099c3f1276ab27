import { Global, Module } from '@nestjs/common';
import { MessageOrdering } from './message-ordering.service';

/** Per-entity ordering of every source's messages (README "Ordering"). */
@Global()
@Module({ providers: [MessageOrdering], exports: [MessageOrdering] })
export class OrderingModule {}
