export * from './fail-fast-queue';
export * from './backoff-strategy';
