import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { fromPglite, fromPostgres, schema, type Database } from '../db/client.ts';

export const migrationsFolder = fileURLToPath(new URL('../db/migrations', import.meta.url));

export interface OpenDatabase {
  db: Database;
  driver: 'pglite' | 'postgres';
  close(): Promise<void>;
}

/**
 * Opens Scorta's database and applies pending migrations: PostgreSQL through postgres.js when a URL is
 * given, otherwise embedded PGlite keeping its data in `dataDir` (or in memory for `memory://`).
 */
export async function openDatabase(options: { databaseUrl?: string | undefined; dataDir: string; poolSize?: number }): Promise<OpenDatabase> {
  if (options.databaseUrl) {
    // Several Scorta instances may start at once: one migrates, on a single connection holding an
    // advisory lock, while the others wait for it.
    const migrator = postgres(options.databaseUrl, { max: 1, onnotice: () => {} });
    try {
      await migrator`select pg_advisory_lock(727274)`;
      await migratePostgres(drizzle(migrator, { schema }), { migrationsFolder });
    } finally {
      await migrator.end({ timeout: 5 });
    }
    const client = postgres(options.databaseUrl, { max: options.poolSize ?? 10, onnotice: () => {} });
    return { db: fromPostgres(client), driver: 'postgres', close: () => client.end({ timeout: 5 }) };
  }
  const client = await PGlite.create(options.dataDir);
  await migratePglite(fromPglite(client) as never, { migrationsFolder });
  return { db: fromPglite(client), driver: 'pglite', close: () => client.close() };
}
