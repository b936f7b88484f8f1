import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Database } from '../../db/client.ts';
import { checkDatabase } from '../core/check-database.ts';
import { DomainError } from '../core/errors.ts';
import type { AppEnv } from './context.ts';
import { problemBody, problemHeaders } from './problem.ts';
import { json, Problem } from './schemas.ts';

const Health = z.object({ status: z.literal('ok'), database: z.literal('ok') }).openapi('Health');

const health = createRoute({
  method: 'get',
  path: '/health',
  operationId: 'getHealth',
  tags: ['system'],
  summary: 'Stato del servizio · Service health',
  security: [],
  responses: {
    200: json(Health, 'The service and its database answer'),
    503: {
      description: 'Database non raggiungibile · Database unreachable',
      content: { 'application/problem+json': { schema: Problem } },
    },
  },
});

/** `GET /health`: public; checks the database with `select 1`. */
export function registerHealth(app: OpenAPIHono<AppEnv>, db: Database): void {
  app.openapi(health, async (c) => {
    try {
      await checkDatabase(db);
      return c.json({ status: 'ok' as const, database: 'ok' as const }, 200);
    } catch (error) {
      console.error('health check: database unreachable:', error);
      const problem = problemBody(
        c,
        new DomainError('internal', 'internal', { context: { database: 'unreachable' } }),
        503,
      );
      return c.json(problem, 503, problemHeaders(c, 503));
    }
  });
}
