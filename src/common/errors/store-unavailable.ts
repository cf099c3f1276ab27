import { mongo } from 'mongoose';
import { ServiceUnavailableError } from './domain-error';
import { ErrorCode } from './error-codes';

/**
 * How long a store operation waits for a reachable server before it fails (the driver's
 * serverSelectionTimeoutMS): a request that needs a stopped store is answered 503 within a
 * second instead of hanging for the driver's default 30 s.
 */
export const STORE_SELECTION_TIMEOUT_MS = 800;

const UNAVAILABLE = [
  mongo.MongoServerSelectionError,
  mongo.MongoNetworkError, // timeouts and pool-cleared errors are network errors too
  mongo.MongoNotConnectedError,
  mongo.MongoTopologyClosedError,
];
/** The same failures as Mongoose wraps or names them. */
const UNAVAILABLE_NAMES = new Set([
  'MongooseServerSelectionError',
  'MongoServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoPoolClearedError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
]);

/** Socket failures (Node's errno codes) a bulkWrite may carry: the connection broke or never formed. */
const NETWORK_ERRNOS = new Set([
  'EPIPE',
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'ENOTCONN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/**
 * True for a failure that says the document store could not be reached (as opposed to one it
 * answered): worth a 503 STORE_UNAVAILABLE, or a retry once it is back.
 */
export function isStoreUnavailable(error: unknown): boolean {
  for (let e = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (UNAVAILABLE.some((type) => e instanceof type)) return true;
    const { name, message } = e as { name?: unknown; message?: unknown };
    if (typeof name === 'string' && UNAVAILABLE_NAMES.has(name)) return true;
    // Mongoose's own wait for a connection (bufferCommands) running out.
    if (typeof message === 'string' && /buffering timed out/.test(message)) return true;
    if (isUnreachedBulkWrite(e)) return true;
  }
  return false;
}

/**
 * A bulkWrite wraps any error it meets before a server answers in a MongoBulkWriteError with no
 * write errors, copying the original's fields but not its class or cause: a network error's
 * `beforeHandshake` and its `ResetPool` label, a server selection error's `reason`, a socket
 * error's errno `code`. Anything the server answered (a write error, a write
 * concern error, a command error with its numeric code) is not a reachability failure.
 */
function isUnreachedBulkWrite(error: unknown): boolean {
  if (!(error instanceof mongo.MongoBulkWriteError)) return false;
  if (bulkWriteErrors(error) || error.err || typeof error.code === 'number') {
    return false;
  }
  // A socket error the driver passed on as it was, e.g. EPIPE on a connection the store closed.
  const code: unknown = error.code;
  return (
    (typeof code === 'string' && NETWORK_ERRNOS.has(code)) ||
    'beforeHandshake' in error ||
    'reason' in error ||
    error.hasErrorLabel(mongo.MongoErrorLabel.ResetPool)
  );
}

/**
 * A bulk write's per-document errors; none (undefined) for any other failure. The driver gives
 * a bulk write that failed as a whole, e.g. one that did not reach the store, an empty list.
 */
export function bulkWriteErrors<T>(error: unknown): T[] | undefined {
  const writeErrors = (error as { writeErrors?: unknown }).writeErrors;
  const list = (Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : []) as T[];
  return list.length ? list : undefined;
}

export class StoreUnavailableError extends ServiceUnavailableError {
  constructor(message = 'The document store is unavailable. Retry with backoff.') {
    super(ErrorCode.StoreUnavailable, message);
  }
}
