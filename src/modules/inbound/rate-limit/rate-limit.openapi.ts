import type { HeadersObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { ErrorCode } from '../../../common/errors';
import type { ProblemSpec } from '../../../common/http';

/** Sent on every answer of an authenticated inbound request (202, 400, 403, 429…). */
export const RATE_LIMIT_HEADERS: HeadersObject = {
  'RateLimit-Limit': {
    description: "Messages one window takes (the integration's rateLimit.burst)",
    schema: { type: 'integer' },
  },
  'RateLimit-Remaining': {
    description: 'Messages left in the current window',
    schema: { type: 'integer' },
  },
  'RateLimit-Reset': {
    description: 'Seconds until the current window ends',
    schema: { type: 'integer' },
  },
  'RateLimit-Policy': {
    description: '`<limit>;w=<window seconds>` (window = burst / perSecond)',
    schema: { type: 'string', example: '1000;w=2' },
  },
};

export const RATE_LIMITED_PROBLEM: ProblemSpec = {
  status: 429,
  examples: [
    {
      code: ErrorCode.RateLimited,
      title: 'Too many requests',
      detail:
        'Rate limit exceeded: this integration takes 1000 messages per 2 s (0 left in this window; this request counts 1). Nothing was queued: retry in 1 s.',
    },
  ],
  headers: {
    ...RATE_LIMIT_HEADERS,
    'Retry-After': {
      description: 'Seconds to wait before sending again (the end of the window)',
      schema: { type: 'integer', minimum: 1 },
    },
  },
};
