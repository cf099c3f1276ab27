// The e2e suites send bursts far above the production default limit (500/s, burst 1000); they
// run with a limit they never reach, unless a suite sets its own (an integration's rateLimit,
// or these variables). test/integration-keys.e2e-spec.ts tests the limits themselves.
process.env.RATE_LIMIT_PER_SECOND ??= '100000';
process.env.RATE_LIMIT_BURST ??= '1000000';
