import { sql, type SQL } from 'drizzle-orm';

type ArrayType = 'uuid' | 'text' | 'int' | 'bigint' | 'numeric' | 'timestamptz';

/**
 * A whole column of values as ONE array parameter (`'{…}'::type[]`), for `unnest` and `= any(…)`. A set-based
 * write of thousands of rows then sends a handful of parameters instead of one per cell: the statement text
 * stays the same whatever the row count (prepared once), and neither drizzle nor the server handles tens of
 * thousands of placeholders.
 */
export function pgArray(values: readonly (string | number | Date | null | undefined)[], type: ArrayType): SQL {
  const items = values.map((v) =>
    v === null || v === undefined
      ? 'NULL'
      : `"${(v instanceof Date ? v.toISOString() : String(v)).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`,
  );
  return sql`${`{${items.join(',')}}`}::${sql.raw(type)}[]`;
}

/** `column = any('{…}'::type[])`: membership in a list of any length with a constant statement text. */
export const anyOf = (
  column: SQL | SQL.Aliased | { getSQL(): SQL } | unknown,
  values: readonly string[],
  type: ArrayType = 'uuid',
): SQL => sql`${column} = any(${pgArray(values, type)})`;

/** The rows of a raw statement, whichever driver ran it (postgres.js returns an array, PGlite `{ rows }`). */
export async function executeRows<T>(db: { execute(query: SQL): PromiseLike<unknown> }, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as T[] | { rows: T[] };
  return Array.isArray(result) ? result : result.rows;
}
