import { eq, inArray } from 'drizzle-orm';
import { locations } from '../../db/schema/index.ts';
import type { Context, LocationRef } from '../core/context.ts';
import { notFound } from '../core/errors.ts';

export type LocationRow = typeof locations.$inferSelect;

/** Loads a location by id, or throws `not_found` naming it. */
export async function loadLocation(ctx: Context, id: string): Promise<LocationRow & LocationRef> {
  const [row] = await ctx.db.select().from(locations).where(eq(locations.id, id));
  if (!row) throw notFound('location', id);
  return row;
}

/** Loads several locations at once, keyed by id; any missing id is `not_found`. */
export async function loadLocations(ctx: Context, ids: string[]): Promise<Map<string, LocationRow>> {
  const unique = [...new Set(ids)];
  const rows = unique.length ? await ctx.db.select().from(locations).where(inArray(locations.id, unique)) : [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const id of unique) if (!byId.has(id)) throw notFound('location', id);
  return byId;
}
