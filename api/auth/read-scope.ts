import { and, or, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Actor, LocationRef } from '../core/context.ts';
import { can, readablePaths } from './permissions.ts';

/** Roles that supply every ward and run recalls (`lots.status`): they read every holder of a lot in full. */
const wholeOrganisationRoles: readonly string[] = ['warehouse', 'pharmacist'];

/** How much of the ledger a read that spans locations shows the actor. */
export interface DetailScope {
  /** Every location of the actor's organisation in full: an org-wide grant (admins), or a stores role. */
  all: boolean;
  /** Whether the actor sees what happened at `location` in full (movements, times, actors, documents). */
  sees(location: LocationRef): boolean;
  /** The same test in SQL over a location's `path`, `kind` and `organisation_id` columns (no per-row query). */
  seesSql(columns: { path: AnyPgColumn; kind: AnyPgColumn; organisationId: AnyPgColumn }): SQL;
}

/**
 * **The one rule for reads that span locations** (lot history, trace, FHIR lot export, recall progress, and the
 * MCP tools and bot answers built on them):
 *
 * - a movement is shown in full (id, quantities, exact times, actor, documents) when it touches a location the
 *   actor may read for `stock.read` — exactly the check `GET /v1/movements?locationId=` makes (`can`): her own
 *   subtrees, plus the warehouses and pharmacies every member of the organisation may read;
 * - every other holder of the lot appears only as totals per location (received, sent, consumed, sold, adjusted,
 *   returned, on hand), without movement ids, actor ids, documents or times; organisation-wide sums stay whole;
 * - stores roles (warehouse, pharmacist) and org-wide grants (admins) see every location of their organisation;
 * - locations of another organisation are never shown in detail.
 */
export function detailScope(actor: Actor): DetailScope {
  const org = actor.organisationId;
  const readable = readablePaths(actor, 'stock.read');
  const all =
    readable.all || actor.grants.some((g) => g.organisationId === org && wholeOrganisationRoles.includes(g.role));
  return {
    all,
    sees: (location) => location.organisationId === org && (all || can(actor, 'stock.read', location)),
    seesSql: ({ path, kind, organisationId }) => {
      const inOrganisation = sql`${organisationId} = ${org}`;
      if (all) return inOrganisation;
      const within = [
        ...readable.paths.map((p) => sql`left(${path}, ${p.length}) = ${p}`),
        ...(readable.openKinds.length
          ? [
              sql`${kind} in (${sql.join(
                readable.openKinds.map((k) => sql`${k}`),
                sql`, `,
              )})`,
            ]
          : []),
      ];
      return within.length ? and(inOrganisation, or(...within))! : sql`false`;
    },
  };
}
