import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context as HonoContext } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { accessRoutes } from './access/routes.ts';
import { catalogueRoutes } from './catalogue/routes.ts';
import { requireToken } from './http/auth.ts';
import type { AppDeps, AppEnv } from './http/context.ts';
import { renderDocs } from './http/docs-page.ts';
import { registerHealth } from './http/health.ts';
import { documentConfig, registerChannelDocs, registerSecurity } from './http/openapi.ts';
import { handleError, handleNotFound, problemBody, problemHeaders, validationHook } from './http/problem.ts';
import { DomainError } from './core/errors.ts';
import { locationRoutes } from './locations/routes.ts';
import { lotRoutes } from './lots/routes.ts';
import { orderRoutes } from './orders/routes.ts';
import { organisationRoutes } from './organisations/routes.ts';
import { requestRoutes } from './requests/routes.ts';
import { stockRoutes } from './stock/routes.ts';
import { homeCareRoutes } from './homecare/routes.ts';
import { recallRoutes } from './lots/recall-routes.ts';
import { reportRoutes } from './reports/routes.ts';
import { fhirRoutes } from './fhir/routes.ts';
import { mcpApp } from '../mcp/http.ts';
import { brokerHookRoutes } from '../iot/broker-hooks.ts';
import { voiceRoutes } from '../bot/voice/routes.ts';

const maxBody = 1024 * 1024;
/**
 * 413 without reading the rest of the body: the connection cannot carry another request, so the answer says
 * `Connection: close` and a keep-alive client opens a new socket instead of reusing one the server drops.
 */
const tooLarge = (c: HonoContext) =>
  c.json(problemBody(c, new DomainError('validation', 'payload_too_large', { params: { limit: '1 MiB' } }), 413), 413, {
    ...problemHeaders(c, 413),
    Connection: 'close',
  });

/**
 * Scorta's HTTP API: the same app on Node, on Workers and in tests (`app.request()`). `/health`,
 * `/openapi.json` and `/docs` are public; everything under `/v1` and `/mcp` needs a bearer token.
 */
export function createApp(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.onError(handleError);
  app.notFound(handleNotFound);

  registerHealth(app, deps.db);
  app.use('/v1/*', bodyLimit({ maxSize: maxBody, onError: (c) => tooLarge(c) }));
  app.use('/v1/*', requireToken(deps));
  for (const routes of [
    organisationRoutes,
    locationRoutes,
    catalogueRoutes,
    lotRoutes,
    stockRoutes,
    requestRoutes,
    orderRoutes,
    homeCareRoutes,
    recallRoutes,
    reportRoutes,
    fhirRoutes,
    accessRoutes,
  ])
    app.route('/v1', routes());

  // AI assistants: MCP over Streamable HTTP, authenticated by the same bearer tokens (docs/mcp.md).
  app.use('/mcp/*', bodyLimit({ maxSize: maxBody, onError: (c) => tooLarge(c) }));
  app.use('/mcp', bodyLimit({ maxSize: maxBody, onError: (c) => tooLarge(c) }));
  app.route('/mcp', mcpApp(deps));
  // Voice assistants: Alexa custom skill at /voice/alexa (when configured) and plain text at /voice/ask (docs/voice.md).
  app.use('/voice/*', bodyLimit({ maxSize: maxBody, onError: (c) => tooLarge(c) }));
  app.route(
    '/voice',
    voiceRoutes({ db: deps.db, ...(deps.now ? { now: deps.now } : {}), ...(deps.alexa ? { alexa: deps.alexa } : {}) }),
  );
  // An external broker asks these who may connect, publish and subscribe (docs/devices.md, "Broker modes").
  if (deps.brokerHooks) app.route('/mqtt', brokerHookRoutes({ db: deps.db, ...deps.brokerHooks }));

  registerSecurity(app);
  registerChannelDocs(app);
  app.doc31('/openapi.json', documentConfig);
  let docs: string | undefined;
  app.get('/docs', (c) => {
    docs ??= renderDocs(app.getOpenAPI31Document(documentConfig));
    return c.html(docs, 200, { 'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'" });
  });
  return app;
}
