export * from './message-context';
