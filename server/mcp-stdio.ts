import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';
import { authenticateToken } from '../api/access/tokens.ts';
import { DataDirInUseError, openDatabase } from './database.ts';
import { Env } from './env.ts';
import { createScortaServer } from '../mcp/server.ts';

/**
 * `npm run mcp` / `npx scorta-mcp`: the MCP server over stdio for a desktop assistant. stdout carries JSON-RPC only;
 * logs go to stderr.
 */
const McpEnv = Env.pick({ DATABASE_URL: true, SCORTA_DATA_DIR: true }).extend({
  SCORTA_TOKEN: z
    .string({ error: 'set it to a Scorta API token (npm run token -- create --user NAME --assistant)' })
    .min(1),
  /**
   * Run as if started at this instant (the clock then moves on from it): to replay a past day, or a demo frozen at a
   * date.
   */
  SCORTA_CLOCK: z.iso
    .datetime({ offset: true, error: 'an ISO 8601 instant with its offset, e.g. 2026-11-23T09:00:00Z' })
    .optional(),
});

const parsed = McpEnv.safeParse(Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== '')));
if (!parsed.success) {
  for (const issue of parsed.error.issues) console.error(`Configuration: ${issue.path.join('.')}: ${issue.message}`);
  process.exit(2);
}
const env = parsed.data;

let database: Awaited<ReturnType<typeof openDatabase>>;
try {
  database = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.SCORTA_DATA_DIR, poolSize: 2 });
} catch (error) {
  if (!(error instanceof DataDirInUseError)) throw error;
  console.error(
    `${error.message}\nWith \`npm start\` running, connect the assistant ` +
      `to its HTTP endpoint (/mcp) instead, or run both on PostgreSQL.`,
  );
  process.exit(3);
}
const db = database.db;
const actor = await authenticateToken({ db }, env.SCORTA_TOKEN, 'mcp');
if (!actor) {
  console.error('SCORTA_TOKEN is unknown, revoked or expired (or its user is inactive).');
  await database.close();
  process.exit(2);
}

const skew = env.SCORTA_CLOCK ? Date.parse(env.SCORTA_CLOCK) - Date.now() : 0;
const server = createScortaServer({ db, actor, now: () => new Date(Date.now() + skew) });
const transport = new StdioServerTransport();
let closing = false;
const shutdown = async () => {
  if (closing) return;
  closing = true;
  await server.close();
  await database.close();
  process.exit(0);
};
process.stdin.on('end', () => void shutdown());
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void shutdown());
await server.connect(transport);
console.error(
  `Scorta MCP server on stdio (${database.driver}), acting as user ` +
    `${actor.userId}${actor.via === 'assistant' ? ' through an assistant token' : ''}.`,
);
