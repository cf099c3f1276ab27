import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  DomainError,
  ErrorCode,
  PROBLEM_CONTENT_TYPE,
  ProblemFilter,
  UnauthorizedError,
} from '../../common';
import { BoardQueues } from './board-queues';
import { BOARD_PATH, BOARD_SIGN_IN_PATH, BoardSession } from './board-session';
import { safeNext, SIGN_IN_PAGE_CSP, signInPage } from './sign-in.page';

/**
 * Bull Board at /queues for every queue of the service, behind a management-token sign-in:
 * the sign-in pages sit in the /queues scope, the board in a child scope whose onRequest hook
 * lets only a signed-in session through.
 */
export async function setupQueueBoard(app: NestFastifyApplication): Promise<void> {
  const session = app.get(BoardSession);
  const queues = app.get(BoardQueues).all();
  const serverAdapter = new FastifyAdapter().setBasePath(BOARD_PATH);
  createBullBoard({
    queues: queues.map((queue) => new BullMQAdapter(queue)),
    serverAdapter,
    options: {
      uiConfig: {
        boardTitle: 'avvyr-integrations',
        miscLinks: [
          { text: 'Integration dashboard', url: '/dashboard' },
          { text: 'Sign out', url: `${BOARD_PATH}/sign-out` },
        ],
      },
    },
  });

  await app.register(
    async (scope: FastifyInstance) => {
      // Only the sign-in form posts form data; the rest of the service stays JSON-only.
      scope.addContentTypeParser(
        'application/x-www-form-urlencoded',
        { parseAs: 'string' },
        (_request, body, done) =>
          done(null, Object.fromEntries(new URLSearchParams(body as string))),
      );
      registerSignIn(scope, session);
      await scope.register(async (board: FastifyInstance) => {
        board.addHook('onRequest', (request, reply) => requireSession(session, request, reply));
        await board.register(serverAdapter.registerPlugin());
      });
    },
    { prefix: BOARD_PATH },
  );
  Logger.log(
    `Bull Board at ${BOARD_PATH}: ${queues.map((q) => q.name).join(', ') || 'no queues'}`,
    'QueueBoard',
  );
}

function registerSignIn(scope: FastifyInstance, session: BoardSession): void {
  const page = (reply: FastifyReply, status: number, next: string, error?: string) =>
    reply
      .status(status)
      .header('content-security-policy', SIGN_IN_PAGE_CSP)
      .header('cache-control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(signInPage({ next, error }));

  scope.get<{ Querystring: { next?: string } }>('/sign-in', async (request, reply) => {
    const next = safeNext(request.query.next);
    if (await session.principalOf(request.headers.cookie)) return reply.redirect(next, 303);
    return page(reply, 200, next);
  });

  scope.post<{ Body: { token?: string; next?: string } }>('/sign-in', async (request, reply) => {
    const next = safeNext(request.body?.next);
    // A form on another site must not sign a browser in here with someone else's token.
    const origin = request.headers.origin;
    if (origin && origin !== `${request.protocol}://${request.host}`) {
      return page(reply, 403, next, 'Sign in from this page of the service.');
    }
    // People paste what they have: a bare token or a whole "Bearer …" header value.
    const token = (request.body?.token ?? '').trim().replace(/^Bearer\s+/i, '');
    try {
      await session.verify(token);
    } catch (error) {
      const status = error instanceof DomainError ? error.status : 401;
      return page(reply, status, next, (error as Error).message);
    }
    return reply
      .header('set-cookie', session.cookieFor(token, request.protocol === 'https'))
      .redirect(next, 303);
  });

  scope.get('/sign-out', async (request, reply) =>
    reply
      .header('set-cookie', session.clearedCookie(request.protocol === 'https'))
      .redirect(BOARD_SIGN_IN_PATH, 303),
  );
}

/**
 * Pages without a session go to the sign-in page; the board's API calls get a 401 problem.
 * Returning the reply tells Fastify the request is answered and the route must not run.
 */
async function requireSession(
  session: BoardSession,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply | undefined> {
  if (await session.principalOf(request.headers.cookie)) return undefined;
  if (request.method === 'GET' && (request.headers.accept ?? '').includes('text/html')) {
    const next = encodeURIComponent(request.url);
    return reply.redirect(`${BOARD_SIGN_IN_PATH}?next=${next}`, 303);
  }
  const problem = new ProblemFilter().toProblem(
    new UnauthorizedError(
      ErrorCode.InvalidManagementToken,
      `Sign in at ${BOARD_SIGN_IN_PATH} with a management token to use the queue board.`,
    ),
    String(request.id),
  );
  return reply.status(401).type(PROBLEM_CONTENT_TYPE).send(problem);
}
