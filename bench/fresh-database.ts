import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import postgres from 'postgres';
import type { Database } from '../db/client.ts';
import { openDatabase } from '../server/database.ts';

export type Driver = 'pglite' | 'postgres';

export interface FreshDatabase {
  db: Database;
  driver: Driver;
  where: string;
  close(): Promise<void>;
}

/**
 * A new, migrated database for one benchmark run: on PostgreSQL a `<prefix>_<timestamp>` database on the
 * server `databaseUrl` names (dropped on close unless `keep`), on PGlite memory or a temporary directory.
 */
export async function openFreshDatabase(options: {
  driver: Driver;
  prefix: string;
  databaseUrl?: string;
  pgliteDir?: string;
  poolSize?: number;
  keep?: boolean;
  log?: (line: string) => void;
}): Promise<FreshDatabase> {
  const log = options.log ?? (() => {});
  if (options.driver === 'postgres') {
    if (!options.databaseUrl)
      throw new Error('PostgreSQL needs DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test)');
    const admin = postgres(options.databaseUrl, { max: 1, onnotice: () => {} });
    const name = `${options.prefix}_${Date.now()}`;
    await admin.unsafe(`create database ${name}`);
    const url = new URL(options.databaseUrl);
    url.pathname = `/${name}`;
    let opened: Awaited<ReturnType<typeof openDatabase>> | undefined;
    const close = async () => {
      await opened?.close().catch(() => {});
      if (options.keep) log(`  kept ${url.toString()}`);
      else await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end({ timeout: 5 });
    };
    try {
      opened = await openDatabase({ databaseUrl: url.toString(), dataDir: '', poolSize: options.poolSize ?? 10 });
    } catch (error) {
      await close();
      throw error;
    }
    return { db: opened.db, driver: 'postgres', where: `database ${name}`, close };
  }
  const dir = options.pgliteDir ? await mkdtemp(join(options.pgliteDir, `${options.prefix}-`)) : undefined;
  const opened = await openDatabase({ dataDir: dir ?? 'memory://' });
  return {
    db: opened.db,
    driver: 'pglite',
    where: dir ?? 'memory://',
    close: async () => {
      await opened.close().catch(() => {});
      if (dir) await rm(dir, { recursive: true, force: true });
    },
  };
}
