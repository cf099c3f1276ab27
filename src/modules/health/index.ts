export { HealthModule } from './health.module';
export { RedisHealthIndicator } from './redis.health';
export { readinessChecks, unhealthyError } from './health.controller';
