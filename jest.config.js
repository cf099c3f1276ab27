/** Unit specs sit beside the code; integration/e2e tests under test/ use real Redis and MongoDB. */
const tsJest = ['ts-jest', { diagnostics: false }];
module.exports = {
  testTimeout: 60_000,
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
