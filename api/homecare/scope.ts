import { and, eq, like, or, sql, type SQL } from 'drizzle-orm';
import { locations } from '../../db/schema/index.ts';
import { authorize, readablePaths, type PermissionName } from '../auth/permissions.ts';
import type { Context } from '../core/context.ts';
import { forbidden } from '../core/errors.ts';
import { loadLocation, type LocationRow } from '../locations/load-location.ts';

/**
 * The locations a home-care read or write covers, as a SQL filter on `locations`: the subtree of
 * `locationId` when given (authorized there), otherwise every subtree the actor holds `permission` in
 * (its whole organisation for an admin). An actor holding it nowhere is refused.
 */
export async function homeCareScope(
  ctx: Context,
  permission: PermissionName,
  locationId?: string,
): Promise<{ location: LocationRow | null; filter: SQL }> {
  const org = eq(locations.organisationId, ctx.actor.organisationId);
  if (locationId) {
    const location = await loadLocation(ctx, locationId);
    authorize(ctx.actor, permission, location);
    return { location, filter: and(org, like(locations.path, `${location.path}%`))! };
  }
  const scope = readablePaths(ctx.actor, permission);
  if (scope.all) return { location: null, filter: org };
  if (scope.paths.length === 0) throw forbidden(permission);
  return {
    location: null,
    filter: and(org, or(...scope.paths.map((p) => like(locations.path, `${p}%`))) ?? sql`false`)!,
  };
}
