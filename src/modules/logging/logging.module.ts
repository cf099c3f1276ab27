import { DynamicModule, Global, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { Env } from '../../config/env';
import { createRootLogger, httpLoggerOptions } from './logger-options';
import { ROOT_LOGGER } from './logging.tokens';
import { MessageJourneyLogger } from './message-journey.logger';

const eventHandlers = [MessageJourneyLogger];

/**
 * Above `info` no route gets a request logger. Request lines are then written only for 5xx
 * answers, which the ProblemFilter logs anyway with their correlationId, yet the logger costs
 * every request: building it cost the ingest routes about a fifth of their throughput, and
 * nestjs-pino binds it with AsyncLocalStorage, whose first use turns on a promise hook for the
 * whole process, so that every promise of every request and job paid for it from then on
 * (with only the other routes still logged, an inbound request cost 0.49 ms of CPU; 0.39 without).
 */
const NO_ROUTES: Parameters<typeof LoggerModule.forRoot>[0] = { forRoutes: [] };

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
          ...(!root.isLevelEnabled('info') && NO_ROUTES),
        }),
      ],
      providers: [{ provide: ROOT_LOGGER, useValue: root }, ...eventHandlers],
      exports: [ROOT_LOGGER],
    };
  }
}
