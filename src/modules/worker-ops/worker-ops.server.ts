import {
  BeforeApplicationShutdown,
  Injectable,
  OnApplicationBootstrap,
  ServiceUnavailableException,
} from '@nestjs/common';
import { HealthCheckService, MongooseHealthIndicator } from '@nestjs/terminus';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { ErrorCode, NotFoundError } from '../../common/errors';
import { correlationIdFor, PROBLEM_CONTENT_TYPE, ProblemFilter } from '../../common/http';
import { Env } from '../../config/env';
import { readinessChecks, RedisHealthIndicator, unhealthyError } from '../health';
import { MetricsRegistry } from '../metrics';

/**
 * A worker-only process serves no API, yet orchestrators probe it and Prometheus scrapes it:
 * this small server answers /health/live, /health/ready and /metrics on PORT, nothing else.
 */
@Injectable()
export class WorkerOpsServer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private server?: Server;
  private readonly problems = new ProblemFilter();

  constructor(
    private readonly env: Env,
    private readonly health: HealthCheckService,
    private readonly mongoose: MongooseHealthIndicator,
    private readonly redis: RedisHealthIndicator,
    private readonly metrics: MetricsRegistry,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const server = createServer((request, response) => void this.serve(request, response));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.env.PORT, '0.0.0.0', resolve);
    });
    this.server = server;
  }

  async beforeApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    await new Promise((resolve) => server.close(resolve));
    server.closeAllConnections();
  }

  private async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const correlationId = correlationIdFor(request);
    response.setHeader('x-correlation-id', correlationId);
    const path = (request.url ?? '/').split('?')[0];
    try {
      if (request.method === 'GET' && path === '/health/live') {
        return json(response, 200, await this.health.check([]));
      }
      if (request.method === 'GET' && path === '/health/ready') {
        return json(
          response,
          200,
          await this.health.check(readinessChecks(this.mongoose, this.redis)),
        );
      }
      if (request.method === 'GET' && path === '/metrics') {
        const body = await this.metrics.metrics();
        response.writeHead(200, { 'content-type': this.metrics.contentType }).end(body);
        return;
      }
      throw new NotFoundError(ErrorCode.NotFound, `A worker serves only /health/* and /metrics.`);
    } catch (error) {
      const cause =
        error instanceof ServiceUnavailableException
          ? unhealthyError(error.getResponse() as never)
          : error;
      const problem = this.problems.toProblem(cause, correlationId);
      response
        .writeHead(problem.status, { 'content-type': PROBLEM_CONTENT_TYPE })
        .end(JSON.stringify(problem));
    }
  }
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
