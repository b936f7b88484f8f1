/**
 * Scorta's layers as rules (docs/architecture.md): `npm run lint` fails on a forbidden import.
 *
 *   app/ (composition root) ─▶ channels: api HTTP adapter, mcp/, bot/, iot/ ─▶ domain core (api/) ─▶ db/
 *   server/ (Node entry points) starts app/ and the channels; demo/ loads the demo through the core.
 */
const apiAdapter = '^api/(http/|[^/]+/routes[.]ts$|[^/]+/[a-z-]+-routes[.]ts$|[^/]+/views[.]ts$)';
const channels = '^(app|bot|iot|mcp|server)/';
const transportLibraries = '^node_modules/(hono|@hono|@modelcontextprotocol|@slack|mqtt|aedes|ws|undici|postgres)/';

module.exports = {
  forbidden: [
    {
      name: 'core-imports-no-adapter',
      comment:
        'The domain core knows nothing of HTTP, MQTT, Slack, MCP or the process: channels call it, never the reverse.',
      severity: 'error',
      from: { path: '^api/', pathNot: apiAdapter },
      to: { path: [channels, '^demo/', apiAdapter] },
    },
    {
      name: 'core-imports-no-transport-library',
      comment: 'Actions take parsed input and return results; the transport libraries belong to the channels.',
      severity: 'error',
      from: { path: '^api/', pathNot: apiAdapter },
      to: { path: transportLibraries },
    },
    {
      name: 'db-imports-nothing-above',
      comment: 'db/ (schema, migrations, client) is the bottom layer.',
      severity: 'error',
      from: { path: '^db/' },
      to: { path: ['^(api|app|bot|demo|iot|mcp|server)/'] },
    },
    {
      name: 'no-node-builtins-in-portable-code',
      comment: 'api/, db/ and app/ also run on Cloudflare Workers: no node:* or Node built-in modules.',
      severity: 'error',
      from: { path: '^(api|db|app)/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'channels-touch-no-tables',
      comment: 'Channels call actions and reads of the core; only the core (and the demo loader) read or write tables.',
      severity: 'error',
      from: { path: [channels, apiAdapter], pathNot: '^server/database[.]ts$' },
      to: { path: ['^db/schema/', '^node_modules/drizzle-orm/'] },
    },
    {
      name: 'api-adapter-reaches-no-channel',
      comment:
        "The API's HTTP adapter (routes, views, api/http/) is one channel: it does not mount or call the others.",
      severity: 'error',
      from: { path: apiAdapter },
      to: { path: [channels, '^demo/'] },
    },
    {
      name: 'channels-stay-apart',
      comment: 'A channel does not reach into another channel; what they share lives in the core.',
      severity: 'error',
      from: { path: '^(bot|iot|mcp)/' },
      to: { path: '^(app|server|demo)/' },
    },
    {
      name: 'bot-iot-mcp-are-peers',
      comment: 'Slack and voice, devices and AI assistants share nothing but the core.',
      severity: 'error',
      from: { path: '^(bot|iot|mcp)/' },
      to: { path: '^(bot|iot|mcp)/', pathNot: '^$1/' },
    },
    {
      name: 'demo-loads-through-the-core',
      comment: 'The demo is data plus a loader over the core; it never depends on a channel.',
      severity: 'error',
      from: { path: '^demo/' },
      to: { path: channels },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|\\.wrangler|dist|coverage)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
