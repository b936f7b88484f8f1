import { PGlite } from '@electric-sql/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import postgres from 'postgres';
import { fromPglite, type Database } from '../../db/client.ts';
import { migrationsFolder, openDatabase } from '../../server/database.ts';

export type Driver = 'pglite' | 'postgres';

/** PGlite always; PostgreSQL too when DATABASE_URL points at a server (CI sets it). */
export const drivers: Driver[] = process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
export const postgresUrl = process.env.DATABASE_URL;

let template: Promise<PGlite> | undefined;

export interface TestDatabase {
  db: Database;
  driver: Driver;
  close(): Promise<void>;
}

/**
 * A fresh, migrated database for one test file. PGlite: a clone of a migrated in-memory template (fast).
 * PostgreSQL: a new database on the server named by DATABASE_URL, dropped on close.
 */
export async function openTestDatabase(driver: Driver, options: { poolSize?: number } = {}): Promise<TestDatabase> {
  if (driver === 'pglite') {
    template ??= (async () => {
      const pg = await PGlite.create();
      await migrate(fromPglite(pg) as never, { migrationsFolder });
      return pg;
    })();
    const pg = (await (await template).clone()) as PGlite;
    return { db: fromPglite(pg), driver, close: () => pg.close() };
  }
  const admin = postgres(postgresUrl!, { max: 1, onnotice: () => {} });
  // A unique name, not a random choice of the test: crypto, so the run's seed (seed.ts) stays for what tests decide.
  const name = `scorta_test_${Date.now().toString(36)}_${crypto.randomUUID().slice(0, 8)}`;
  await admin.unsafe(`create database ${name}`);
  const url = new URL(postgresUrl!);
  url.pathname = `/${name}`;
  const opened = await openDatabase({ databaseUrl: url.toString(), dataDir: '', poolSize: options.poolSize ?? 10 });
  return {
    db: opened.db,
    driver,
    close: async () => {
      await opened.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}
