export * from './rate-limit-window';
