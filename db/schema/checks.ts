import { sql } from 'drizzle-orm';

/** SQL `column in ('a', 'b', …)` for check constraints over our closed sets of codes. */
export const inList = (column: string, values: readonly string[]) =>
  sql.raw(`${column} in (${values.map((v) => `'${v}'`).join(', ')})`);
