import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { Hono } from 'hono';
import { authenticateToken } from '../api/access/tokens.ts';
import { buildContext, type ApiDeps } from '../api/http/context.ts';
import { UNAUTHORIZED } from './errors.ts';
import { createScortaServer } from './server.ts';

const bearer = /^Bearer[ ]+(\S+)[ ]*$/i;
const rpcError = (code: number, message: string) => ({ jsonrpc: '2.0' as const, id: null, error: { code, message } });

/**
 * MCP over Streamable HTTP, stateless: each POST authenticates its bearer token, builds a server for that
 * actor (channel `mcp`), answers in JSON and is closed. Nothing is kept between requests, so it runs the
 * same on Node and on Workers. Mount it with `app.route('/mcp', mcpApp(deps))`.
 */
export function mcpApp(deps: ApiDeps) {
  const app = new Hono();
  app.post('/', async (c) => {
    const token = bearer.exec(c.req.header('authorization') ?? '')?.[1];
    const actor = token ? await authenticateToken({ db: deps.db }, token, 'mcp') : null;
    if (!actor) {
      const message = token
        ? 'The token is unknown, revoked or expired.'
        : 'Send a Scorta API token: Authorization: Bearer sct_…';
      return c.json(rpcError(UNAUTHORIZED, message), 401, {
        'WWW-Authenticate': `Bearer realm="scorta", error="${token ? 'invalid_token' : 'invalid_request'}"`,
      });
    }
    const server = createScortaServer(buildContext(deps, actor));
    const transport = new WebStandardStreamableHTTPServerTransport({
      enableJsonResponse: true,
      maxRequestBodySize: 1024 * 1024,
    });
    await server.connect(transport);
    try {
      return await transport.handleRequest(c.req.raw);
    } finally {
      await server.close();
    }
  });
  // Stateless: no server-initiated stream to open (GET) and no session to end (DELETE).
  app.on(['GET', 'DELETE'], '/', (c) =>
    c.json(rpcError(-32000, 'Method not allowed: this MCP endpoint is stateless, send JSON-RPC with POST.'), 405, {
      Allow: 'POST',
    }),
  );
  return app;
}
