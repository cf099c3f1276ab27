export * from './problem';
export * from './problem.filter';
export * from './correlation';
export * from './problem.openapi';
export * from './json-limits';
export * from './method-not-allowed';
