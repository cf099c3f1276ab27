import { mongo } from 'mongoose';
import { isStoreUnavailable } from './store-unavailable';

/**
 * The shapes a bulkWrite's failure takes when the store is gone, as the driver builds them (seen
 * against a real store killed mid-run, test/store-unavailable-errors.e2e-spec.ts): it wraps the
 * original error in a MongoBulkWriteError and copies its fields, not its class.
 */
describe('isStoreUnavailable', () => {
  const noResult = {} as mongo.BulkWriteResult;
  const wrapped = (original: Error) => new mongo.MongoBulkWriteError(original, noResult);

  it('a socket the store closed (EPIPE, passed on as a plain Error)', () => {
    const epipe = Object.assign(new Error('This socket has been ended by the other party'), {
      code: 'EPIPE',
    });
    expect(isStoreUnavailable(wrapped(epipe))).toBe(true);
    // Unwrapped, it could be any socket's (Redis's too): not taken for the store's.
    expect(isStoreUnavailable(epipe)).toBe(false);
  });

  it('a connection refused while connecting (a network error)', () => {
    const refused = new mongo.MongoNetworkError('connect ECONNREFUSED 127.0.0.1:1', {
      beforeHandshake: true,
    });
    expect(isStoreUnavailable(wrapped(refused))).toBe(true);
    expect(isStoreUnavailable(refused)).toBe(true);
  });

  it('no server to select', () => {
    const selection = new mongo.MongoServerSelectionError('connect ECONNREFUSED 127.0.0.1:1', {
      type: 'Unknown',
    } as unknown as mongo.TopologyDescription);
    expect(isStoreUnavailable(wrapped(selection))).toBe(true);
  });

  it('not for what the store answered, nor for a failure on this side', () => {
    const duplicate = new mongo.MongoBulkWriteError(
      {
        message: 'E11000 duplicate key',
        code: 11000,
        writeErrors: [{ code: 11000 } as unknown as mongo.WriteError],
      },
      noResult,
    );
    expect(isStoreUnavailable(duplicate)).toBe(false);
    const commandError = new mongo.MongoServerError({ message: 'bad update', code: 14 });
    expect(isStoreUnavailable(wrapped(commandError))).toBe(false);
    expect(isStoreUnavailable(wrapped(new TypeError('cannot serialise')))).toBe(false);
  });
});
