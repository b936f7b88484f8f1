import { and, eq, inArray } from 'drizzle-orm';
import { locations } from '../../db/schema/index.ts';
import type { Context, LocationRef } from '../core/context.ts';
import { notFound } from '../core/errors.ts';

export type LocationRow = typeof locations.$inferSelect;

/** Loads a location of the actor's organisation by id, or throws `not_found` naming it (other organisations' are not revealed). */
export async function loadLocation(ctx: Context, id: string): Promise<LocationRow & LocationRef> {
  const [row] = await ctx.db
    .select()
    .from(locations)
    .where(and(eq(locations.id, id), eq(locations.organisationId, ctx.actor.organisationId)));
  if (!row) throw notFound('location', id);
  return row;
}

/** Loads several locations of the actor's organisation at once, keyed by id; any missing id is `not_found`. */
export async function loadLocations(ctx: Context, ids: string[]): Promise<Map<string, LocationRow>> {
  const unique = [...new Set(ids)];
  const rows = unique.length
    ? await ctx.db
        .select()
        .from(locations)
        .where(and(inArray(locations.id, unique), eq(locations.organisationId, ctx.actor.organisationId)))
    : [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const id of unique) if (!byId.has(id)) throw notFound('location', id);
  return byId;
}
