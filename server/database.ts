import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
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
export async function openDatabase(options: {
  databaseUrl?: string | undefined;
  dataDir: string;
  poolSize?: number;
}): Promise<OpenDatabase> {
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
    // JIT off: Scorta's statements are short and set-based over arrays whose size a generic plan cannot know,
    // so estimates can pass jit_above_cost and a 5 ms lookup pays 20–30 ms of compilation (seen in device ingest).
    const client = postgres(options.databaseUrl, {
      max: options.poolSize ?? 10,
      onnotice: () => {},
      connection: { jit: 'off' },
    });
    return { db: fromPostgres(client), driver: 'postgres', close: () => client.end({ timeout: 5 }) };
  }
  const unlock = options.dataDir.includes('://') ? () => {} : lockDataDir(options.dataDir);
  try {
    const client = await PGlite.create(options.dataDir);
    await migratePglite(fromPglite(client) as never, { migrationsFolder });
    return {
      db: fromPglite(client),
      driver: 'pglite',
      close: async () => {
        await client.close();
        unlock();
      },
    };
  } catch (error) {
    unlock();
    throw error;
  }
}

export class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `The embedded database in ${dataDir} is in use by another Scorta process (pid ${pid}). ` +
        'PGlite serves one process at a time: ' +
        "stop that process first (its data would not see this one's writes), " +
        'or use PostgreSQL (DATABASE_URL) to run several.',
    );
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** One process per PGlite data directory: a lock file with our pid, taken over when its owner is gone. */
function lockDataDir(dataDir: string): () => void {
  const file = `${resolve(dataDir)}.lock`;
  mkdirSync(dirname(file), { recursive: true });
  try {
    writeFileSync(file, String(process.pid), { flag: 'wx' });
  } catch {
    const owner = Number(readFileSync(file, 'utf8'));
    if (owner && owner !== process.pid && alive(owner)) throw new DataDirInUseError(dataDir, owner);
    writeFileSync(file, String(process.pid));
  }
  return () => rmSync(file, { force: true });
}
