export * from './errors';
export * from './http';
export * from './context';
export * from './validation';
