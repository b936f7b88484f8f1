import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';

/** Answers when the database does (`select 1`); throws when it is unreachable. */
export async function checkDatabase(db: Database): Promise<void> {
  await db.execute(sql`select 1`);
}
