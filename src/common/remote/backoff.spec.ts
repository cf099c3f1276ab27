import { MAX_RETRY_DELAY_MS, retryDelayMs } from './backoff';
import { isRetryableStatus, parseRetryAfter, RemoteCallError } from './remote-call.error';

describe('retryDelayMs', () => {
  it('doubles from the base delay', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, 5000))).toEqual([5000, 10000, 20000, 40000]);
  });

  it('never waits less than Retry-After', () => {
    const error = new RemoteCallError('X', 'busy', true, 429, null, 90_000);
    expect(retryDelayMs(1, 5000, error)).toBe(90_000);
    expect(retryDelayMs(6, 5000, error)).toBe(160_000);
  });

  it('is capped', () => {
    expect(retryDelayMs(30, 5000)).toBe(MAX_RETRY_DELAY_MS);
  });
});

describe('isRetryableStatus', () => {
  it.each([408, 425, 429, 500, 502, 503, 504])('%i retries', (status) =>
    expect(isRetryableStatus(status)).toBe(true),
  );
  it.each([400, 401, 403, 404, 409, 422])('%i is permanent', (status) =>
    expect(isRetryableStatus(status)).toBe(false),
  );
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});
