/** Unit specs sit beside the code; integration/e2e tests under test/ use real Redis and MongoDB. */
const tsJest = ['ts-jest', { diagnostics: false }];
module.exports = {
  testTimeout: 60_000,
  // Every suite closes what it opens, but one in the full run leaves a handle that keeps the
  // process alive after the last test (not tracked down yet): exit once all suites reported,
  // so `npm test` and CI end with the suites' verdict instead of hanging.
  forceExit: true,
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      rootDir: '.',
      testMatch: ['<rootDir>/src/**/*.spec.ts'],
      transform: { '^.+\\.ts$': tsJest },
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      rootDir: '.',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      transform: { '^.+\\.ts$': tsJest },
      setupFiles: ['reflect-metadata', '<rootDir>/test/support/generous-rate-limits.ts'],
    },
  ],
};
