import { and, eq, inArray } from 'drizzle-orm';
import { items } from '../../db/schema/index.ts';
import type { Context } from '../core/context.ts';
import { notFound } from '../core/errors.ts';

export type ItemRow = typeof items.$inferSelect;

/** Loads items of the actor's organisation by id; any missing id is `not_found`. */
export async function loadItems(ctx: Context, ids: string[]): Promise<Map<string, ItemRow>> {
  const unique = [...new Set(ids)];
  const rows = unique.length
    ? await ctx.db
        .select()
        .from(items)
        .where(and(inArray(items.id, unique), eq(items.organisationId, ctx.actor.organisationId)))
    : [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const id of unique) if (!byId.has(id)) throw notFound('item', id);
  return byId;
}
