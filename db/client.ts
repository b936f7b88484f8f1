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

/**
 * Whether the database runs statements of several connections at once: PostgreSQL does, embedded PGlite runs one at a
 * time.
 */
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
 *
 * The client's own `unsafe`, `begin` and `savepoint` are replaced in place rather than behind a Proxy: with a
 * Proxy in front of postgres.js, a loop of 4,000 identical prepared reads had young-generation collections of
 * 5–9 ms instead of 0.4–0.8 ms, keeping a third of what they scanned (`node --trace-gc`); a ward's stock read
 * spends a quarter less time in garbage collection without it (docs/benchmarks.md, "Session 4").
 */
const prepared = Symbol('scorta.prepared');

function preparing<T extends object>(client: T): T {
  // biome-ignore lint/complexity/noBannedTypes: postgres.js's overloaded methods, wrapped without naming their types
  const c = client as T & { [prepared]?: true; unsafe: Function; begin?: Function; savepoint?: Function };
  if (c[prepared]) return client;
  const { unsafe, begin, savepoint } = c;
  c.unsafe = (query: string, params?: unknown[], options?: Record<string, unknown>) =>
    unsafe(query, params, params?.length ? { ...options, prepare: true } : options);
  const wrapBody =
    // biome-ignore lint/complexity/noBannedTypes: as above, begin and savepoint of either driver
      (run: Function) =>
      (...args: unknown[]) => {
        const body = args.pop() as (tx: object) => unknown;
        return run(...args, (tx: object) => body(preparing(tx)));
      };
  if (begin) c.begin = wrapBody(begin);
  if (savepoint) c.savepoint = wrapBody(savepoint);
  c[prepared] = true;
  return client;
}
