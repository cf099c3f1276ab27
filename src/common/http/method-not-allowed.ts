import type { FastifyInstance } from 'fastify';
import { DomainError, ErrorCode } from '../errors';
import { PROBLEM_CONTENT_TYPE } from './problem';
import type { ProblemFilter } from './problem.filter';

interface KnownPath {
  pattern: RegExp;
  methods: Set<string>;
}

/** `/v1/integrations/:id` → a regular expression for the URLs it matches. */
function patternOf(url: string): RegExp {
  const source = url
    .replace(/\/+$/, '')
    .split('/')
    .map((segment) =>
      segment === '*'
        ? '.*'
        : segment.startsWith(':')
          ? '[^/]+'
          : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('/');
  return new RegExp(`^${source}/?$`);
}

/**
 * A request for a path the service serves, with a method it does not (TRACE, DELETE on the
 * inbound API…), is a 405 problem with an `Allow` header, not a 404. Paths nothing serves stay
 * 404. Call before the routes are registered (it listens to `onRoute`).
 */
export function answerMethodNotAllowed(fastify: FastifyInstance, filter: ProblemFilter): void {
  const paths = new Map<string, KnownPath>();
  fastify.addHook('onRoute', (route) => {
    const known = paths.get(route.url) ?? { pattern: patternOf(route.url), methods: new Set() };
    for (const method of [route.method].flat()) known.methods.add(method.toUpperCase());
    paths.set(route.url, known);
  });
  fastify.addHook('onRequest', async (request, reply) => {
    // A route matched: not ours to answer.
    if (request.routeOptions.url !== undefined) return;
    const path = request.url.split('?')[0];
    const allowed = new Set<string>();
    for (const known of paths.values()) {
      if (known.pattern.test(path)) known.methods.forEach((method) => allowed.add(method));
    }
    if (!allowed.size || allowed.has(request.method)) return;
    const allow = [...allowed].sort().join(', ');
    const problem = filter.toProblem(
      new DomainError(
        ErrorCode.MethodNotAllowed,
        405,
        `${request.method} is not allowed on ${path}; allowed: ${allow}.`,
        [],
        'Method not allowed',
      ),
      String(request.id),
    );
    return reply
      .status(405)
      .header('allow', allow)
      .header('content-type', PROBLEM_CONTENT_TYPE)
      .send(problem);
  });
}
