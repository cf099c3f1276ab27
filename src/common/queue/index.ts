export * from './fail-fast-queue';
export * from './backoff-strategy';
export * from './tracked-job-options';
export * from './draining-worker-host';
export * from './close-redis';
