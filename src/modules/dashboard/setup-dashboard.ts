import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import {
  dashboardPage,
  DASHBOARD_PUBLIC_DIR,
  knownActions,
  vendorModules,
} from './dashboard-assets';

export const DASHBOARD_PATH = '/dashboard';

/**
 * The integration dashboard at /dashboard: one HTML page, its ES modules and styles as static
 * files, and Preact + htm from node_modules. It calls the management API with the token the
 * person signs in with, so it needs no routes or permissions of its own.
 */
export async function setupDashboard(app: NestFastifyApplication): Promise<void> {
  const page = dashboardPage();
  const vendor = vendorModules();
  const actions = knownActions();
  await app.register(
    async (scope: FastifyInstance) => {
      scope.addHook('onSend', async (_request, reply) => {
        void reply.header('x-content-type-options', 'nosniff');
        void reply.header('referrer-policy', 'no-referrer');
      });
      scope.get('/', async (_request, reply) =>
        reply
          .header('content-security-policy', page.csp)
          .header('cache-control', 'no-cache')
          .type('text/html; charset=utf-8')
          .send(page.html),
      );
      scope.get<{ Params: { file: string } }>('/vendor/:file', async (request, reply) => {
        const source = vendor[request.params.file];
        if (source === undefined) return reply.callNotFound();
        return reply
          .header('cache-control', 'public, max-age=3600')
          .type(
            request.params.file.endsWith('.css')
              ? 'text/css; charset=utf-8'
              : 'text/javascript; charset=utf-8',
          )
          .send(source);
      });
      scope.get('/actions.json', async (_request, reply) =>
        reply.header('cache-control', 'public, max-age=3600').send(actions),
      );
      // Our own package's @fastify/static; decorateReply off so it can sit beside other users.
      await scope.register(fastifyStatic, {
        root: join(DASHBOARD_PUBLIC_DIR, 'assets'),
        prefix: '/assets/',
        decorateReply: false,
        index: false,
        cacheControl: true,
        maxAge: 0,
      });
    },
    { prefix: DASHBOARD_PATH },
  );
  Logger.log(`Integration dashboard at ${DASHBOARD_PATH}`, 'Dashboard');
}
