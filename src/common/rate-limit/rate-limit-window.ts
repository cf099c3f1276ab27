/** The longest window a rate limit may have: `burst / perSecond` seconds. */
export const MAX_RATE_LIMIT_WINDOW_SECONDS = 60;

export interface RateLimitSpec {
  perSecond: number;
  burst: number;
}

/**
 * A limit is `burst` messages per fixed window of `burst / perSecond` seconds (on average
 * `perSecond`, never more than `burst` in one window). The Redis limiter counts whole seconds,
 * so the window must be one: what is wrong with a spec, or undefined.
 */
export function rateLimitProblem({ perSecond, burst }: RateLimitSpec): string | undefined {
  if (burst < perSecond) return 'burst must be at least perSecond';
  if (burst % perSecond !== 0) {
    return 'burst must be a whole multiple of perSecond (the window, burst / perSecond, is counted in whole seconds)';
  }
  if (burst / perSecond > MAX_RATE_LIMIT_WINDOW_SECONDS) {
    return `burst / perSecond (the window in seconds) must be at most ${MAX_RATE_LIMIT_WINDOW_SECONDS}`;
  }
  return undefined;
}

export const rateLimitWindowSeconds = ({ perSecond, burst }: RateLimitSpec) => burst / perSecond;
