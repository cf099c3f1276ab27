import { INestApplicationContext, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import secureJson from 'secure-json-parse';
import { AppModule } from './app.module';
import { Env } from './config/env';
import {
  correlationIdFor,
  CORRELATION_HEADER,
  ProblemFilter,
  ValidationFailedError,
  DomainError,
  ErrorCode,
  flattenValidationErrors,
  jsonBodyErrors,
  StrictValidationPipe,
  answerMethodNotAllowed,
} from './common';
import { setupOpenApi } from './docs/openapi';
import { setupQueueBoard } from './modules/queue-board';
import { setupDashboard } from './modules/dashboard';
import { BATCH_ROUTE } from './modules/inbound/accept-batch/accept-batch.http.controller';
import { RAW_BODY_ROUTE, RawBodyRequest } from './modules/sandbox';

/** Inbound bodies above this are refused with 413 before they are parsed. */
export const BODY_LIMIT_BYTES = 1024 * 1024;
/** The batch endpoint's limit (up to 1,000 messages). */
export const BATCH_BODY_LIMIT_BYTES = 5 * 1024 * 1024;

export interface RunningService {
  app: INestApplicationContext;
  /** Base URL of the HTTP server; undefined for a worker-only process. */
  url?: string;
  close(): Promise<void>;
}

/** Builds and starts the service for `env.ROLE`: HTTP API, queue workers, or both. */
export async function startService(env: Env): Promise<RunningService> {
  const module = AppModule.forRoot(env);
  if (!env.runsApi) {
    const app = await NestFactory.createApplicationContext(module, { bufferLogs: true });
    app.useLogger(app.get(PinoNestLogger));
    app.enableShutdownHooks();
    return { app, close: once(() => app.close()) };
  }
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: correlationIdFor,
    trustProxy: true,
    routerOptions: { ignoreTrailingSlash: true },
  });
  const app = await NestFactory.create<NestFastifyApplication>(module, adapter, {
    // Start-up lines wait for the pino logger (LOG_LEVEL, JSON) instead of Nest's console one.
    bufferLogs: true,
    // Our own JSON parser is registered in configureHttp.
    bodyParser: false,
  });
  app.useLogger(app.get(PinoNestLogger));
  try {
    configureHttp(app);
    setupOpenApi(app);
    await setupQueueBoard(app);
    await setupDashboard(app);
    app.enableShutdownHooks();
    await app.listen(env.PORT, '0.0.0.0');
  } catch (error) {
    await app.close().catch(() => undefined);
    throw error;
  }
  const url = `http://127.0.0.1:${env.PORT}`;
  Logger.log(`Listening on ${boundAddress(app)} (ROLE=${env.ROLE}); locally ${url}`, 'Bootstrap');
  return { app, url, close: once(() => app.close()) };
}

export function configureHttp(app: NestFastifyApplication): void {
  const filter = new ProblemFilter();
  app.useGlobalFilters(filter);
  app.useGlobalPipes(
    new StrictValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: (errors) => new ValidationFailedError(flattenValidationErrors(errors)),
    }),
  );
  const fastify = app.getHttpAdapter().getInstance();
  // A route's own bodyLimit wins over the parser's: the batch endpoint takes up to 5 MiB.
  fastify.addHook('onRoute', (route) => {
    if (route.url === BATCH_ROUTE) route.bodyLimit = BATCH_BODY_LIMIT_BYTES;
  });
  answerMethodNotAllowed(fastify, filter);
  // JSON only: without Fastify's default text/plain parser, any other body is a 415.
  fastify.removeContentTypeParser('text/plain');
  // Our own JSON parser, so malformed JSON is a MALFORMED_JSON problem rather than a generic 400.
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit: BODY_LIMIT_BYTES },
    (request, body, done) => {
      // The sandbox receiver verifies signatures over the exact bytes sent.
      if (request.url.startsWith(RAW_BODY_ROUTE))
        (request as RawBodyRequest).rawBody = String(body);
      let parsed: unknown;
      try {
        parsed = secureJson.parse(body, undefined, {
          protoAction: 'error',
          constructorAction: 'error',
        });
      } catch (error) {
        done(
          new DomainError(
            ErrorCode.MalformedJson,
            400,
            `The body is not valid JSON: ${(error as Error).message}`,
            [],
            'Malformed JSON',
          ),
          undefined,
        );
        return;
      }
      // Too deep, lone surrogates, unsafe integers: refused here, before any code walks the body.
      const errors = jsonBodyErrors(parsed);
      if (errors.length) done(new ValidationFailedError(errors), undefined);
      else done(null, parsed);
    },
  );
  fastify.addHook('onSend', async (request, reply) => {
    void reply.header(CORRELATION_HEADER, String(request.id));
  });
}

/** The address the socket is really bound to: 0.0.0.0 means every interface. */
function boundAddress(app: NestFastifyApplication): string {
  const address = app.getHttpServer().address();
  if (!address || typeof address === 'string') return String(address);
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

/** Closing twice (a signal and a test, say) waits for the same shutdown. */
function once(close: () => Promise<void>): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () => (closing ??= close());
}
