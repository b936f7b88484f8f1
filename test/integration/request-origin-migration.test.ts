import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { fromPglite } from '../../db/client.ts';
import { migrationsFolder } from '../../server/database.ts';
import { drivers, postgresUrl, type Driver } from '../helpers/database.ts';

/** An empty database driven by hand: raw SQL, and the migrations of a folder. */
interface Raw {
  query<T>(text: string, params?: unknown[]): Promise<T[]>;
  migrate(folder: string): Promise<void>;
  close(): Promise<void>;
}

async function emptyDatabase(driver: Driver): Promise<Raw> {
  if (driver === 'pglite') {
    const pg = await PGlite.create();
    return {
      query: async <T>(text: string, params: unknown[] = []) => (await pg.query<T>(text, params)).rows,
      migrate: (folder) => migratePglite(fromPglite(pg) as never, { migrationsFolder: folder }),
      close: () => pg.close(),
    };
  }
  const admin = postgres(postgresUrl!, { max: 1, onnotice: () => {} });
  const name = `scorta_mig_${Date.now().toString(36)}_${crypto.randomUUID().slice(0, 8)}`;
  await admin.unsafe(`create database ${name}`);
  const url = new URL(postgresUrl!);
  url.pathname = `/${name}`;
  const client = postgres(url.toString(), { max: 1, onnotice: () => {} });
  return {
    query: async <T>(text: string, params: unknown[] = []) =>
      (await client.unsafe(text, params as never[])) as unknown as T[],
    migrate: (folder) => migratePostgres(drizzle(client), { migrationsFolder: folder }),
    close: async () => {
      await client.end({ timeout: 5 });
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

/** The migrations up to (and without) `0013_request_origin_json`: a database as it was before origins became JSON. */
function foldersBefore0013(): string {
  const dir = mkdtempSync(join(tmpdir(), 'scorta-migrations-'));
  cpSync(migrationsFolder, dir, { recursive: true });
  const journalFile = join(dir, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: { tag: string }[] };
  const at = journal.entries.findIndex((e) => e.tag === '0013_request_origin_json');
  expect(at).toBeGreaterThan(0);
  journal.entries = journal.entries.slice(0, at);
  writeFileSync(journalFile, JSON.stringify(journal));
  return dir;
}

describe.each(drivers)('migration 0013 on %s: a request origin becomes structured JSON', (driver) => {
  const older = foldersBefore0013();
  afterAll(() => rmSync(older, { recursive: true, force: true }));

  it('turns manual, free-text and JSON-in-a-string origins into objects, and new rows default to manual', async () => {
    const pg = await emptyDatabase(driver);
    try {
      await pg.migrate(older);
      const [org] = await pg.query<{ id: string }>(
        `insert into organisations (code, name, kind) values ('MIG', 'Migrazione', 'other') returning id`,
      );
      const [ward] = await pg.query<{ id: string }>(
        `insert into locations (organisation_id, path, kind, code, name) values ($1, 'MIG', 'ward_store', 'MIG', 'Reparto') returning id`,
        [org!.id],
      );
      const reason = {
        trigger: { device: 'CAB-1', seq: 7 },
        onHand: 3,
        onOrder: 0,
        R: 10,
        L: 2,
        W: 14,
        B: 4,
        maxStock: 30,
      };
      const rows: [string, string | null][] = [
        ['RIC-1', 'manual'],
        ['RIC-2', 'sottoscorta: giacenza 3 ≤ R 10'],
        ['RIC-3', JSON.stringify(reason)],
        ['RIC-4', '{not json'],
        ['RIC-5', null],
      ];
      for (const [number, origin] of rows) {
        await pg.query(
          origin === null
            ? `insert into ward_requests (organisation_id, number, destination_id, urgency, channel) values ($1, $2, $3, 'normal', 'http')`
            : `insert into ward_requests (organisation_id, number, destination_id, urgency, channel, origin) values ($1, $2, $3, 'normal', 'http', $4)`,
          [org!.id, number, ward!.id, ...(origin === null ? [] : [origin])],
        );
      }

      await pg.migrate(migrationsFolder);

      const after = await pg.query<{ number: string; origin: unknown; type: string }>(
        `select number, origin, pg_typeof(origin)::text as type from ward_requests order by number`,
      );
      expect(after.map((r) => r.type)).toEqual(new Array(5).fill('jsonb'));
      expect(after.map((r) => r.origin)).toEqual([
        { kind: 'manual' },
        { kind: 'declared', text: 'sottoscorta: giacenza 3 ≤ R 10' },
        { kind: 'under_stock', ...reason },
        { kind: 'declared', text: '{not json' },
        { kind: 'manual' },
      ]);
      await pg.query(
        `insert into ward_requests (organisation_id, number, destination_id, urgency, channel) values ($1, 'RIC-6', $2, 'normal', 'http')`,
        [org!.id, ward!.id],
      );
      expect((await pg.query(`select origin from ward_requests where number = 'RIC-6'`))[0]).toEqual({
        origin: { kind: 'manual' },
      });
      // The helper function was only for the migration.
      expect(await pg.query(`select 1 from pg_proc where proname like 'scorta_request_origin%'`)).toEqual([]);
    } finally {
      await pg.close();
    }
  }, 60_000);
});
