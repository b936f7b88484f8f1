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

/** Whether the database runs statements of several connections at once: PostgreSQL does, embedded PGlite runs one at a time. */
export function runsConcurrently(db: Database): boolean {
  return typeof (db as unknown as { $client?: unknown }).$client === 'function';
}

/** Wraps an embedded PGlite instance. */
export function fromPglite(client: PGlite): Database {
  return drizzlePglite(client, { schema }) as unknown as Database;
}

/** Wraps a postgres.js client (PostgreSQL, or Cloudflare Hyperdrive on Workers). */
export function fromPostgres(client: Sql): Database {
  return drizzlePostgres(preparing(client), { schema }) as unknown as Database;
}

/**
 * drizzle sends every query as an unnamed statement, so PostgreSQL parses and plans it on every call (about
 * 1 ms for a four-table join, as much as running it). This makes postgres.js prepare each parameterised query
 * once per connection and reuse it (its own default for tagged queries); queries without parameters (migrations,
 * multi-statement scripts) are sent as they are. Transactions and savepoints hand out wrapped clients too.
 */
function preparing<T extends object>(client: T): T {
  return new Proxy(client, {
    get(target, prop) {
      const value = Reflect.get(target, prop) as unknown;
      if (typeof value !== 'function') return value;
      if (prop === 'unsafe') {
        return (query: string, params?: unknown[], options?: Record<string, unknown>) =>
          value.call(target, query, params, params?.length ? { ...options, prepare: true } : options);
      }
      if (prop === 'begin' || prop === 'savepoint') {
        return (...args: unknown[]) => {
          const body = args.pop() as (tx: object) => unknown;
          return value.call(target, ...args, (tx: object) => body(preparing(tx)));
        };
      }
      return value.bind(target);
    },
  });
}
