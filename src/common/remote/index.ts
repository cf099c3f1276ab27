export * from './remote-call.error';
export * from './backoff';
