import { brokerHookRoutes } from '../iot/broker-hooks.ts';
import type { BrokerService } from '../iot/acl.ts';
import { createHttpApp, limitBody, registerApi, registerDocs } from '../api/http/api-app.ts';
import type { ApiDeps } from '../api/http/context.ts';
import { voiceRoutes } from '../bot/voice/routes.ts';
import type { AlexaOptions } from '../bot/voice/verify.ts';
import { mcpApp } from '../mcp/http.ts';

/** What the HTTP app needs from its entry point (Node server, Worker, tests), with the optional channels. */
export interface AppDeps extends ApiDeps {
  /** Authentication and ACL hooks for an external MQTT broker (EMQX, mosquitto-go-auth) at `/mqtt`; off when absent. */
  brokerHooks?: { secret: string; service?: BrokerService };
  /** The Alexa custom-skill endpoint at `/voice/alexa`: skill id and signature check; off (404) when absent. */
  alexa?: AlexaOptions;
}

/**
 * Scorta's HTTP app, the composition root: the API (`api/http`), MCP, voice and broker hooks on one Hono app,
 * the same on Node, on Workers and in tests (`app.request()`). `/health`, `/openapi.json` and `/docs` are
 * public; everything under `/v1` and `/mcp` needs a bearer token.
 */
export function createApp(deps: AppDeps) {
  const app = createHttpApp();
  registerApi(app, deps);

  // AI assistants: MCP over Streamable HTTP, authenticated by the same bearer tokens (docs/mcp.md).
  app.use('/mcp/*', limitBody());
  app.use('/mcp', limitBody());
  app.route('/mcp', mcpApp(deps));
  // Voice assistants: an Alexa skill at /voice/alexa (when configured), plain text at /voice/ask (docs/voice.md).
  app.use('/voice/*', limitBody());
  app.route(
    '/voice',
    voiceRoutes({ db: deps.db, ...(deps.now ? { now: deps.now } : {}), ...(deps.alexa ? { alexa: deps.alexa } : {}) }),
  );
  // An external broker asks these who may connect, publish and subscribe (docs/devices.md, "Broker modes").
  if (deps.brokerHooks) app.route('/mqtt', brokerHookRoutes({ db: deps.db, ...deps.brokerHooks }));

  registerDocs(app);
  return app;
}
