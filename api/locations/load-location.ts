import { locations } from '../../db/schema/index.ts';
import type { Context, LocationRef } from '../core/context.ts';
import { ownedRowLoader } from '../core/load-rows.ts';

export type LocationRow = typeof locations.$inferSelect;

const loader = ownedRowLoader(locations, 'location');

/**
 * Loads a location of the actor's organisation by id, or throws `not_found` naming it (other organisations' are not
 * revealed).
 */
export async function loadLocation(ctx: Context, id: string): Promise<LocationRow & LocationRef> {
  return loader.one(ctx, id);
}

/** Loads several locations of the actor's organisation at once, keyed by id; any missing id is `not_found`. */
export async function loadLocations(ctx: Context, ids: string[]): Promise<Map<string, LocationRow>> {
  return loader.many(ctx, ids);
}
