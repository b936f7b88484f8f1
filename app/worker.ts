import postgres from 'postgres';
import { fromPostgres } from '../db/client.ts';
import { createApp } from './create-app.ts';

/** Bindings of the Workers deployment: Hyperdrive in front of PostgreSQL, or a plain URL for development. */
interface Bindings {
  HYPERDRIVE?: { connectionString: string };
  DATABASE_URL?: string;
}

/**
 * Cloudflare Workers entry: the same Hono app as on Node, over PostgreSQL through postgres.js.
 * Workers may not share sockets between requests, so each request gets its own small client.
 * Migrations are applied from Node (`npm run cli -- migrate`), not at the edge.
 */
export default {
  async fetch(request: Request, env: Bindings, ctx: { waitUntil(p: Promise<unknown>): void }): Promise<Response> {
    const url = env.HYPERDRIVE?.connectionString ?? env.DATABASE_URL;
    if (!url)
      return Response.json(
        { title: 'DATABASE_URL or HYPERDRIVE binding missing', status: 500 },
        { status: 500, headers: { 'content-type': 'application/problem+json' } },
      );
    const client = postgres(url, { max: 5, fetch_types: false, prepare: true });
    const response = await createApp({ db: fromPostgres(client) }).fetch(request);
    ctx.waitUntil(client.end());
    return response;
  },
};
