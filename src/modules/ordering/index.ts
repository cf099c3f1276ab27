export * from './entity-order';
export * from './message-ordering.service';
export * from './ordering.module';
