import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeRows } from '../../api/core/sql-arrays.ts';
import type { Database } from '../../db/client.ts';
import { openTestDatabase, postgresUrl, type TestDatabase } from '../helpers/database.ts';

/**
 * On PostgreSQL, parameterised statements are prepared once per connection (db/client.ts), at the top level, in a
 * transaction and in a nested one (savepoint); a statement without parameters is sent as it is.
 */
describe.skipIf(!postgresUrl)('PostgreSQL: statements prepared per connection', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase('postgres', { poolSize: 1 });
  });
  afterAll(() => t?.close());

  const prepared = async (db: Database) =>
    (await executeRows<{ statement: string }>(db, sql.raw(`select statement from pg_prepared_statements`))).map(
      (r) => r.statement,
    );
  const marker = (tag: string) => sql`select ${tag}::text as tag, 1 as ${sql.raw(tag)}`;

  it('prepares a parameterised statement at the top level and reuses it', async () => {
    await t.db.execute(marker('top'));
    await t.db.execute(marker('top'));
    const mine = (await prepared(t.db)).filter((s) => s.includes(' as top'));
    expect(mine).toHaveLength(1);
  });

  it('prepares in a transaction and in a savepoint, on the transaction’s connection', async () => {
    const seen = await t.db.transaction(async (tx) => {
      await tx.execute(marker('in_tx'));
      return tx.transaction(async (nested) => {
        await nested.execute(marker('in_savepoint'));
        return prepared(nested as unknown as Database);
      });
    });
    expect(seen.some((s) => s.includes(' as in_tx'))).toBe(true);
    expect(seen.some((s) => s.includes(' as in_savepoint'))).toBe(true);
  });

  it('sends a statement without parameters unprepared', async () => {
    await t.db.execute(sql.raw(`select 1 as unparameterised`));
    expect((await prepared(t.db)).some((s) => s.includes('unparameterised'))).toBe(false);
  });
});
