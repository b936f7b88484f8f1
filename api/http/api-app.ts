import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context as HonoContext } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { accessRoutes } from '../access/routes.ts';
import { catalogueRoutes } from '../catalogue/routes.ts';
import { DomainError } from '../core/errors.ts';
import { fhirRoutes } from '../fhir/routes.ts';
import { homeCareRoutes } from '../homecare/routes.ts';
import { locationRoutes } from '../locations/routes.ts';
import { recallRoutes } from '../lots/recall-routes.ts';
import { lotRoutes } from '../lots/routes.ts';
import { orderRoutes } from '../orders/routes.ts';
import { organisationRoutes } from '../organisations/routes.ts';
import { reportRoutes } from '../reports/routes.ts';
import { requestRoutes } from '../requests/routes.ts';
import { stockRoutes } from '../stock/routes.ts';
import { requireToken } from './auth.ts';
import type { ApiDeps, AppEnv } from './context.ts';
import { renderDocs } from './docs-page.ts';
import { registerHealth } from './health.ts';
import { documentConfig, registerChannelDocs, registerSecurity } from './openapi.ts';
import { handleError, handleNotFound, problemBody, problemHeaders, validationHook } from './problem.ts';

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

/** Refuses a request body over 1 MiB with a 413 problem; every channel mounted on the HTTP app uses it. */
export const limitBody = () => bodyLimit({ maxSize: maxBody, onError: (c) => tooLarge(c) });

/** The HTTP app every channel is mounted on: errors, failed validations and unknown paths become problem+json. */
export function createHttpApp() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.onError(handleError);
  app.notFound(handleNotFound);
  return app;
}

/** Scorta's HTTP API on `app`: `/health` is public; every domain's routes under `/v1` need a bearer token. */
export function registerApi(app: OpenAPIHono<AppEnv>, deps: ApiDeps): void {
  registerHealth(app, deps.db);
  app.use('/v1/*', limitBody());
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
}

/**
 * `/openapi.json` and `/docs`, public. Registered after every channel is mounted: the document describes the
 * API, the security schemes and the channels documented elsewhere (MCP, broker hooks).
 */
export function registerDocs(app: OpenAPIHono<AppEnv>): void {
  registerSecurity(app);
  registerChannelDocs(app);
  app.doc31('/openapi.json', documentConfig);
  let docs: string | undefined;
  app.get('/docs', (c) => {
    docs ??= renderDocs(app.getOpenAPI31Document(documentConfig));
    return c.html(docs, 200, { 'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'" });
  });
}
