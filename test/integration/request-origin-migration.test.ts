import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { afterAll, describe, expect, it } from 'vitest';
import { fromPglite } from '../../db/client.ts';
import { migrationsFolder } from '../../server/database.ts';

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

describe('migration 0013: a request origin becomes structured JSON', () => {
  const older = foldersBefore0013();
  afterAll(() => rmSync(older, { recursive: true, force: true }));

  it('turns manual, free-text and JSON-in-a-string origins into objects, and new rows default to manual', async () => {
    const pg = await PGlite.create();
    try {
      await migrate(fromPglite(pg) as never, { migrationsFolder: older });
      const { rows: [org] } = await pg.query<{ id: string }>(`insert into organisations (code, name, kind) values ('MIG', 'Migrazione', 'other') returning id`);
      const { rows: [ward] } = await pg.query<{ id: string }>(`insert into locations (organisation_id, path, kind, code, name) values ($1, 'MIG', 'ward_store', 'MIG', 'Reparto') returning id`, [org!.id]);
      const reason = { trigger: { device: 'CAB-1', seq: 7 }, onHand: 3, onOrder: 0, R: 10, L: 2, W: 14, B: 4, maxStock: 30 };
      const rows: [string, string | null][] = [['RIC-1', 'manual'], ['RIC-2', 'sottoscorta: giacenza 3 ≤ R 10'], ['RIC-3', JSON.stringify(reason)], ['RIC-4', '{not json'], ['RIC-5', null]];
      for (const [number, origin] of rows) {
        await pg.query(
          origin === null
            ? `insert into ward_requests (organisation_id, number, destination_id, urgency, channel) values ($1, $2, $3, 'normal', 'http')`
            : `insert into ward_requests (organisation_id, number, destination_id, urgency, channel, origin) values ($1, $2, $3, 'normal', 'http', $4)`,
          [org!.id, number, ward!.id, ...(origin === null ? [] : [origin])],
        );
      }

      await migrate(fromPglite(pg) as never, { migrationsFolder });

      const { rows: after } = await pg.query<{ number: string; origin: unknown; type: string }>(`select number, origin, pg_typeof(origin)::text as type from ward_requests order by number`);
      expect(after.map((r) => r.type)).toEqual(new Array(5).fill('jsonb'));
      expect(after.map((r) => r.origin)).toEqual([
        { kind: 'manual' },
        { kind: 'declared', text: 'sottoscorta: giacenza 3 ≤ R 10' },
        { kind: 'under_stock', ...reason },
        { kind: 'declared', text: '{not json' },
        { kind: 'manual' },
      ]);
      await pg.query(`insert into ward_requests (organisation_id, number, destination_id, urgency, channel) values ($1, 'RIC-6', $2, 'normal', 'http')`, [org!.id, ward!.id]);
      expect((await pg.query(`select origin from ward_requests where number = 'RIC-6'`)).rows[0]).toEqual({ origin: { kind: 'manual' } });
      // The helper function was only for the migration.
      expect((await pg.query(`select 1 from pg_proc where proname like 'scorta_request_origin%'`)).rows).toEqual([]);
    } finally {
      await pg.close();
    }
  }, 60_000);
});
