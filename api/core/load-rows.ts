import { and, eq, type InferSelectModel, inArray } from 'drizzle-orm';
import type { AnyPgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Context } from './context.ts';
import { notFound } from './errors.ts';

/** A table whose rows belong to an organisation and are loaded by id. */
type OwnedTable = PgTable & { id: AnyPgColumn; organisationId: AnyPgColumn };

/**
 * Loaders by id for the rows of `table` that belong to the actor's organisation: `one` throws `not_found` naming
 * `entity` and the id, `many` (keyed by id, one query) throws it for the first missing id. Other organisations'
 * rows are never revealed: to the actor they do not exist.
 */
export function ownedRowLoader<T extends OwnedTable>(table: T, entity: string) {
  type Row = InferSelectModel<T>;
  // `select()` over a generic table loses its row type; the rows are the table's own.
  const select = async (ctx: Context, ids: readonly string[]): Promise<Row[]> =>
    (await ctx.db
      .select()
      .from(table as PgTable)
      .where(
        and(
          ids.length === 1 ? eq(table.id, ids[0]) : inArray(table.id, [...ids]),
          eq(table.organisationId, ctx.actor.organisationId),
        ),
      )) as Row[];

  return {
    async one(ctx: Context, id: string): Promise<Row> {
      const [row] = await select(ctx, [id]);
      if (!row) throw notFound(entity, id);
      return row;
    },
    async many(ctx: Context, ids: readonly string[]): Promise<Map<string, Row>> {
      const unique = [...new Set(ids)];
      const rows = unique.length ? await select(ctx, unique) : [];
      const byId = new Map(rows.map((r) => [(r as { id: string }).id, r]));
      for (const id of unique) if (!byId.has(id)) throw notFound(entity, id);
      return byId;
    },
  };
}
