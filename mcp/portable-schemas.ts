import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Keywords that hold one schema, a map of schemas, or a list of schemas. */
const single = [
  'items',
  'additionalProperties',
  'contains',
  'not',
  'propertyNames',
  'if',
  'then',
  'else',
  'unevaluatedProperties',
  'additionalItems',
  'unevaluatedItems',
];
const maps = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'];
const lists = ['anyOf', 'oneOf', 'allOf', 'prefixItems'];
/** Keywords about the value as a whole, kept on the union rather than on each branch. */
const annotations = ['description', 'default', 'title', 'examples'];

/**
 * One JSON Schema, spelled so that every client reads it the same (the checks of the MCP Inspector's
 * `tools/list` portability report): a nullable `type: ["string", "null"]` becomes `anyOf` with one type per
 * branch, and zod's `additionalProperties: {}` of a loose object — an empty schema that constrains nothing —
 * becomes the boolean `true` that says the same. The contract does not change.
 */
export function portableSchema(node: unknown, keyword?: string): unknown {
  if (!isObject(node)) return node;
  if (keyword && ['additionalProperties', 'unevaluatedProperties'].includes(keyword) && Object.keys(node).length === 0)
    return true;
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    if (single.includes(key)) out[key] = portableSchema(value, key);
    else if (maps.includes(key) && isObject(value))
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, portableSchema(v)]));
    else if (lists.includes(key) && Array.isArray(value)) out[key] = value.map((v) => portableSchema(v));
    else out[key] = value;
  }
  if (!Array.isArray(out.type)) return out;
  const { type, ...rest } = out as Json & { type: string[] };
  const kept = Object.fromEntries(Object.entries(rest).filter(([k]) => annotations.includes(k)));
  const checks = Object.fromEntries(Object.entries(rest).filter(([k]) => !annotations.includes(k)));
  return { ...kept, anyOf: type.map((t) => (t === 'null' ? { type: 'null' } : { type: t, ...checks })) };
}

// biome-ignore lint/suspicious/noExplicitAny: the SDK's handlers return its own result types, wrapped unchanged
type Handler = (request: unknown, extra: unknown) => Promise<any>;

/**
 * The one place tool schemas are made portable: wraps the SDK's `tools/list` handler (which converts each
 * tool's zod schemas itself) so every input and output schema goes through `portableSchema`. Call it after
 * every tool is registered.
 */
export function portableToolSchemas(server: McpServer): void {
  const handlers = (server.server as unknown as { _requestHandlers?: Map<string, Handler> })._requestHandlers;
  const list = handlers?.get('tools/list');
  if (!handlers || !list) throw new Error('MCP SDK internals changed: no tools/list handler to wrap');
  handlers.set('tools/list', async (request, extra) => {
    const result = await list(request, extra);
    return {
      ...result,
      tools: (result.tools as Json[]).map((tool) => ({
        ...tool,
        inputSchema: portableSchema(tool.inputSchema),
        ...(tool.outputSchema ? { outputSchema: portableSchema(tool.outputSchema) } : {}),
      })),
    };
  });
}
