import { DynamicModule, Global, Module, RequestMethod } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { Env } from '../../config/env';
import { createRootLogger, httpLoggerOptions } from './logger-options';
import { ROOT_LOGGER } from './logging.tokens';
import { MessageJourneyLogger } from './message-journey.logger';

const eventHandlers = [MessageJourneyLogger];

/**
 * The high-volume routes. Above `info` their request lines are never written, yet building a
 * request logger for each request cost about a fifth of the inbound throughput, so they get
 * none; their failures are still logged with the correlationId by the ProblemFilter.
 */
const INGEST_ROUTES = [
  { method: RequestMethod.POST, path: 'integrations/custom/inbound' },
  { method: RequestMethod.POST, path: 'webhooks/avasam/*path' },
];

/**
 * Structured JSON logs (pino through nestjs-pino): Nest's Logger, request logs with the
 * correlationId, and one line per message step with messageId and correlationId.
 */
@Global()
@Module({})
export class LoggingModule {
  static forRoot(env: Env): DynamicModule {
    const root = createRootLogger(env);
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: httpLoggerOptions(root),
          exclude: root.isLevelEnabled('info') ? [] : INGEST_ROUTES,
        }),
      ],
      providers: [{ provide: ROOT_LOGGER, useValue: root }, ...eventHandlers],
      exports: [ROOT_LOGGER],
    };
  }
}
