import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import type { PGlite } from '@electric-sql/pglite';
import type { Sql } from 'postgres';
import * as schema from './schema/index.ts';

export { schema };
export type Schema = typeof schema;

/**
 * One database type for both drivers, and for a transaction on either: drizzle's transactions are
 * databases too, so actions take a `Database` and never care whether they run inside one.
 */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;

/** Wraps an embedded PGlite instance. */
export function fromPglite(client: PGlite): Database {
  return drizzlePglite(client, { schema }) as unknown as Database;
}

/** Wraps a postgres.js client (PostgreSQL, or Cloudflare Hyperdrive on Workers). */
export function fromPostgres(client: Sql): Database {
  return drizzlePostgres(client, { schema }) as unknown as Database;
}
