import type { IncomingMessage, ServerResponse } from 'node:http';
import { hostname } from 'node:os';
import pino, { Logger } from 'pino';
import type { Options as PinoHttpOptions } from 'pino-http';
import type { Env } from '../../config/env';
import { secretScrubber } from './scrub-secrets';

/** Fields that hold credentials in any object we might log (defence in depth: see scrubber). */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'authorization',
  ...['apiKey', 'token', 'accessToken', 'access_token', 'secret', 'secretKey', 'consumerKey']
    .concat(['verificationToken', 'password'])
    .flatMap((field) => [field, `*.${field}`, `*.settings.${field}`]),
];

/** Probes and scrapes every few seconds would drown the request log. */
const QUIET_PATHS = /^\/(health|metrics|docs)(\/|$|\?)/;

/** The one pino instance of the process: JSON lines on stdout, level from LOG_LEVEL. */
export function createRootLogger(env: Env): Logger {
  const scrub = secretScrubber([env.MANAGEMENT_JWT_SECRET, env.SECRETS_KEY, env.AVVYR_API_TOKEN]);
  return pino({
    level: env.LOG_LEVEL,
    base: { service: 'avvyr-integrations', role: env.ROLE, pid: process.pid, hostname: hostname() },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACTED_PATHS, censor: '[Redacted]' },
    hooks: { streamWrite: scrub },
  });
}

/** Request logging: one line per request, keyed by the correlation id (Fastify's request id). */
export function httpLoggerOptions(logger: Logger): PinoHttpOptions {
  return {
    logger,
    // @fastify/middie copies Fastify's request id (correlationIdFor) onto the raw request.
    genReqId: (req: IncomingMessage) => (req as IncomingMessage & { id?: string }).id ?? 'unknown',
    customAttributeKeys: { reqId: 'correlationId' },
    quietReqLogger: true,
    // Middleware sees a path-stripped req.url; originalUrl is the one the client sent.
    autoLogging: {
      ignore: (req) =>
        QUIET_PATHS.test((req as IncomingMessage & { originalUrl?: string }).originalUrl ?? ''),
    },
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : 'info'),
    customSuccessMessage: (req, res, responseTime) =>
      `${req.method} ${res.statusCode} in ${Math.round(responseTime)} ms`,
    customErrorMessage: (req, res) => `${req.method} ${res.statusCode}`,
    // A plain 5xx answer is not an exception: drop pino-http's made-up Error and its stack (the
    // ProblemFilter logs the real error of an unexpected 500).
    customErrorObject: (_req, _res, error: Error, value: Record<string, unknown>) =>
      error.message.startsWith('failed with status code') ? { ...value, err: undefined } : value,
    serializers: {
      // No headers at all: the Authorization header never reaches a log line.
      req: (req: { method: string; url: string; remoteAddress?: string; headers?: Headers }) => ({
        method: req.method,
        url: req.url,
        remoteAddress: req.remoteAddress,
        userAgent: req.headers?.['user-agent'],
      }),
      res: (res: ServerResponse) => ({ statusCode: res.statusCode }),
    },
  };
}

type Headers = Record<string, string | string[] | undefined>;
