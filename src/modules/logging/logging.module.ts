import { DynamicModule, Global, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { Env } from '../../config/env';
import { createRootLogger, httpLoggerOptions } from './logger-options';
import { ROOT_LOGGER } from './logging.tokens';
import { MessageJourneyLogger } from './message-journey.logger';

const eventHandlers = [MessageJourneyLogger];

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
      imports: [LoggerModule.forRoot({ pinoHttp: httpLoggerOptions(root) })],
      providers: [{ provide: ROOT_LOGGER, useValue: root }, ...eventHandlers],
      exports: [ROOT_LOGGER],
    };
  }
}
