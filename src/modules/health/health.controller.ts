import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import {
  HealthCheckResult,
  HealthCheckService,
  HealthIndicatorFunction,
  MongooseHealthIndicator,
} from '@nestjs/terminus';
import { ApiProblemResponses } from '../../common/http';
import { DomainError, ErrorCode } from '../../common/errors';
import { RedisHealthIndicator } from './redis.health';

const HEALTH_RESULT_SCHEMA: SchemaObject = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: ['ok'] },
    info: { type: 'object', additionalProperties: true, example: { redis: { status: 'up' } } },
    error: { type: 'object', additionalProperties: true },
    details: { type: 'object', additionalProperties: true },
  },
};

/** Liveness and readiness probes, without authentication (orchestrators call them). */
@ApiTags('Operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly mongoose: MongooseHealthIndicator,
    private readonly redis: RedisHealthIndicator,
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process is up and serving (checks no dependency)' })
  @ApiOkResponse({ schema: HEALTH_RESULT_SCHEMA })
  live(): Promise<HealthCheckResult> {
    return this.run([]);
  }

  @Get('ready')
  @ApiOperation({ summary: 'Readiness: MongoDB and Redis answer a ping within a second' })
  @ApiOkResponse({ schema: HEALTH_RESULT_SCHEMA })
  @ApiProblemResponses(503)
  ready(): Promise<HealthCheckResult> {
    return this.run(readinessChecks(this.mongoose, this.redis));
  }

  /** A failed check is answered as problem+json 503, one `errors` entry per failing dependency. */
  private async run(checks: HealthIndicatorFunction[]): Promise<HealthCheckResult> {
    try {
      return await this.health.check(checks);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      throw unhealthyError(error.getResponse() as HealthCheckResult);
    }
  }
}

export function readinessChecks(
  mongoose: MongooseHealthIndicator,
  redis: RedisHealthIndicator,
): HealthIndicatorFunction[] {
  return [() => mongoose.pingCheck('mongodb', { timeout: 1000 }), () => redis.pingCheck('redis')];
}

export function unhealthyError(result: HealthCheckResult): DomainError {
  const failing = Object.entries(result.error ?? {});
  return new DomainError(
    ErrorCode.ServiceUnhealthy,
    503,
    failing.length
      ? `Not ready: ${failing.map(([name]) => name).join(', ')} unavailable.`
      : `Not ready (${result.status}).`,
    failing.map(([name, detail]) => ({
      path: name,
      message: typeof detail?.message === 'string' ? detail.message : 'down',
    })),
    'Service unavailable',
  );
}
