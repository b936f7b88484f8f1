import type { AppEnv } from './context.ts';
import { z, type OpenAPIHono, type RouteConfig } from '@hono/zod-openapi';
import { json, problem } from './schemas.ts';

/**
 * Tags in the order the docs show them. The description is the section heading of /docs: Italian · English,
 * so each one reads in English after the `·`.
 */
export const tags = [
  { name: 'stock', description: 'Giacenze · Stock on hand' },
  { name: 'movements', description: 'Movimenti di magazzino · Stock movements' },
  { name: 'lots', description: 'Lotti e tracciabilità · Lots and traceability' },
  { name: 'requests', description: 'Richieste da reparto · Ward requests' },
  { name: 'fulfilment', description: 'Riscontro, evasione e bolle · Evaluation, fulfilment and issue notes' },
  { name: 'orders', description: "Ordini d'acquisto · Purchase orders" },
  { name: 'home-care', description: 'Assistenza domiciliare e allarmi dispositivi · Home care and device alerts' },
  {
    name: 'reports',
    description: 'Rendiconti: costo dei consumi e valorizzazione · Reports: consumption cost and stock valuation',
  },
  {
    name: 'fhir',
    description: 'Esportazione FHIR R5 (lotti, InventoryReport) · FHIR R5 export (lots, InventoryReport)',
  },
  { name: 'catalogue', description: 'Anagrafica articoli · Catalogue' },
  { name: 'locations', description: 'Luoghi · Locations' },
  { name: 'organisations', description: 'Aziende sanitarie · Organisations' },
  { name: 'access', description: 'Utenti e token · Users and tokens' },
  { name: 'assistants', description: 'Assistenti AI (MCP) · AI assistants (Model Context Protocol)' },
  { name: 'voice', description: 'Assistenti vocali (Alexa, testo) · Voice assistants (Alexa, plain text)' },
  { name: 'broker-hooks', description: 'Hook per un broker MQTT esterno · Hooks for an external MQTT broker' },
  { name: 'system', description: 'Sistema · System' },
];

/** The document served at /openapi.json and rendered at /docs. */
export const documentConfig = {
  openapi: '3.1.0',
  info: {
    title: 'Scorta API',
    version: '1.0.0',
    description:
      'Logistica ospedaliera: giacenze per lotto, movimenti, catalogo, luoghi, ' +
      "richieste da reparto e ordini d'acquisto. Errori in application/problem+json " +
      '(RFC 9457), in italiano o inglese secondo Accept-Language. · ' +
      'Hospital logistics: stock by lot, movements, catalogue, locations, ward requests and purchase ' +
      'orders. Errors as application/problem+json (RFC 9457), in Italian or English from Accept-Language.',
  },
  tags,
  security: [{ bearerAuth: [] }],
};

/**
 * Mounted HTTP routes deliberately left out of the document, each with where it is described instead.
 * Every other route the app mounts is an operation of /openapi.json (test/channels/api-docs.test.ts checks both).
 */
export const describedElsewhere = [
  {
    method: 'GET',
    path: '/mcp',
    where: 'POST /mcp (405: the MCP endpoint is stateless, no server-initiated stream); docs/mcp.md',
  },
  { method: 'DELETE', path: '/mcp', where: 'POST /mcp (405: no session to end); docs/mcp.md' },
] as const;

/** Declares the bearer-token scheme every /v1 route requires. */
export function registerSecurity(app: OpenAPIHono<AppEnv>): void {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description: 'Token API `sct_…` (npm run token) · API token `sct_…` (npm run token)',
  });
}

const JsonRpc = z
  .object({
    jsonrpc: z.literal('2.0'),
    id: z.union([z.string(), z.number(), z.null()]).optional(),
    method: z.string().optional(),
  })
  .passthrough()
  .openapi('JsonRpcMessage');

const mcp: RouteConfig = {
  method: 'post',
  path: '/mcp',
  operationId: 'sendMcpMessage',
  tags: ['assistants'],
  summary: 'Model Context Protocol (Streamable HTTP) · Model Context Protocol (Streamable HTTP)',
  description:
    'Un messaggio JSON-RPC di MCP (initialize, tools/list, tools/call…) con il token ' +
    "dell'utente; senza stato, risposta in JSON. Strumenti e argomenti: docs/mcp.md · " +
    "One MCP JSON-RPC message (initialize, tools/list, tools/call…) with the user's token; " +
    'stateless, answered in JSON. Tools and their arguments: docs/mcp.md. GET and DELETE answer 405.',
  externalDocs: {
    description: 'MCP: Streamable HTTP transport',
    url: 'https://modelcontextprotocol.io/specification/2025-11-25/basic/transports#streamable-http',
  },
  request: { body: { required: true, content: { 'application/json': { schema: JsonRpc } } } },
  responses: {
    200: json(
      JsonRpc,
      'La risposta JSON-RPC (errori di strumento inclusi) · The JSON-RPC response (tool errors included)',
    ),
    202: { description: 'Notifica accettata · Notification accepted' },
    401: {
      description: 'Token mancante o non valido (errore JSON-RPC) · Missing or invalid token (a JSON-RPC error)',
      content: { 'application/json': { schema: JsonRpc } },
    },
    413: problem('Corpo oltre 1 MiB · Body over 1 MiB'),
  },
};

const BrokerFields = z
  .object({
    clientid: z.string().optional(),
    username: z.string().optional(),
    password: z.string().optional(),
    topic: z.string().optional(),
    action: z.enum(['publish', 'subscribe']).optional().openapi({ description: 'EMQX' }),
    acc: z
      .number()
      .int()
      .optional()
      .openapi({ description: 'mosquitto-go-auth: 1 read, 2 write, 3 both, 4 subscribe' }),
  })
  .openapi('BrokerHookRequest');
const BrokerAnswer = z
  .object({
    result: z.enum(['allow', 'deny']).openapi({ description: 'EMQX 5' }),
    is_superuser: z.boolean(),
    ok: z.boolean().openapi({ description: 'mosquitto-go-auth (response_mode json)' }),
    error: z.string().optional(),
  })
  .openapi('BrokerHookAnswer');
const brokerHook = (method: 'get' | 'post', path: string, operationId: string, summary: string): RouteConfig => ({
  method,
  path,
  operationId,
  tags: ['broker-hooks'],
  security: [],
  summary,
  description:
    'Attivo con MQTT_HOOK_SECRET (altrimenti 404); il broker manda il segreto ' +
    'in `X-Scorta-Broker-Secret` o `?secret=`. Sempre 200: un rifiuto è `deny` · ' +
    'On with MQTT_HOOK_SECRET (404 otherwise); the broker sends the secret as `X-Scorta-Broker-Secret` ' +
    'or `?secret=`. Always 200: a refusal is `deny`. See docs/devices.md, "Broker modes".',
  externalDocs: {
    description: 'EMQX: HTTP authentication',
    url: 'https://docs.emqx.com/en/emqx/latest/access-control/authn/http.html',
  },
  request:
    method === 'post'
      ? {
          body: {
            content: {
              'application/json': { schema: BrokerFields },
              'application/x-www-form-urlencoded': { schema: BrokerFields },
            },
          },
        }
      : { query: BrokerFields.extend({ secret: z.string().optional() }) },
  responses: { 200: json(BrokerAnswer, 'La decisione · The decision') },
});

const system = (path: string, operationId: string, summary: string, type: string): RouteConfig => ({
  method: 'get',
  path,
  operationId,
  tags: ['system'],
  security: [],
  summary,
  responses: {
    200: {
      description: summary,
      content: { [type]: { schema: type === 'text/html' ? z.string() : z.object({}).passthrough() } },
    },
  },
});

/**
 * The app's routes that are not `app.openapi(…)` operations but are HTTP all the same: MCP, the broker hooks,
 * this document and its page. (The voice endpoints document themselves in bot/voice/openapi.ts.)
 */
export function registerChannelDocs(app: OpenAPIHono<AppEnv>): void {
  const register = (route: RouteConfig) => app.openAPIRegistry.registerPath(route);
  register(mcp);
  for (const [path, noun, summary] of [
    ['/mqtt/auth', 'DeviceLogin', 'Un dispositivo può connettersi? · May a device connect?'],
    ['/mqtt/acl', 'DeviceTopic', 'Un dispositivo può usare il topic? · May a device use the topic?'],
    ['/mqtt/superuser', 'Superuser', 'Superutente (sempre no) · Superuser (always no)'],
  ] as const) {
    register(brokerHook('post', path, `check${noun}`, summary));
    register(brokerHook('get', path, `check${noun}ByQuery`, summary));
  }
  register(
    system(
      '/openapi.json',
      'getOpenApiDocument',
      'Questo documento OpenAPI 3.1 · This OpenAPI 3.1 document',
      'application/json',
    ),
  );
  register(system('/docs', 'getApiDocs', 'La documentazione HTML · The HTML documentation', 'text/html'));
}
