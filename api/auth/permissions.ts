import type { LocationKind, Role } from '../../db/schema/index.ts';
import type { Actor, Grant, LocationRef } from '../core/context.ts';
import { forbidden } from '../core/errors.ts';

interface Permission {
  /** Roles that may perform it, each within its grant's organisation and location subtree. */
  roles: readonly Role[];
  /** Location kinds any member of the organisation may reach (wards see the supplying warehouse's stock). */
  openKinds?: readonly LocationKind[];
  /** `false`: refused to an assistant (a bot or an AI acting for a user), whatever its user may do. */
  assistants?: false;
  /** `false`: a platform operation, never done by a person through a channel, only by the system (the CLI, start-up). */
  people?: false;
}

const everyone = ['admin', 'warehouse', 'pharmacist', 'ward_nurse', 'home_care', 'device', 'assistant'] as const;
const staff = ['admin', 'warehouse', 'pharmacist', 'ward_nurse', 'home_care'] as const;
const stores = ['admin', 'warehouse', 'pharmacist'] as const;

/**
 * Who may do what: the one table every channel (HTTP tokens, devices, Slack users, MCP tokens) is
 * checked against. Scope is the grant's location subtree; an admin grant without a location covers its
 * whole organisation.
 */
export const permissions = {
  'catalogue.read': { roles: everyone },
  'catalogue.write': { roles: stores },
  'locations.read': { roles: everyone },
  'locations.write': { roles: ['admin'] },
  /** Create an organisation: a platform operation (`npm run cli -- organisation create`), not an organisation admin's. */
  'organisations.write': { roles: ['admin'], people: false, assistants: false },
  /** Create users with their roles, issue and revoke API tokens: never through an assistant. */
  'users.write': { roles: ['admin'], assistants: false },
  'stock.read': { roles: staff, openKinds: ['warehouse', 'pharmacy'] },
  'stock.receive': { roles: stores },
  'stock.issue': { roles: stores },
  'stock.transfer': { roles: staff },
  'stock.consume': { roles: [...staff, 'device'] },
  'stock.adjust': { roles: staff },
  'stock.return': { roles: staff },
  'movement.reverse': { roles: stores },
  'lots.read': { roles: staff },
  /** Emit a ward request for a destination (ward store, cabinet, home); devices emit under-stock requests. */
  'requests.emit': { roles: ['admin', 'ward_nurse', 'home_care', 'device'] },
  /** Take an issue note in charge, or cancel a request, at its destination. */
  'requests.receive': { roles: ['admin', 'ward_nurse', 'home_care'] },
  /** Evaluate and fulfil the request lines of a section, at the location the section fulfils from. */
  'requests.process': { roles: stores },
  'orders.manage': { roles: stores },
  'lots.status': { roles: stores },
  /** The home-care team's patients: supply plans, forecasts, devices, open deliveries (its subtree's homes). */
  'homecare.read': { roles: ['admin', 'home_care'] },
  /** Set or end a patient's supply plan at a home in the team's subtree. */
  'homecare.plan': { roles: ['admin', 'home_care'] },
  /** Device alerts (silent devices, recalled lots, unknown tags) at the locations in the actor's scope. */
  'alerts.read': { roles: ['admin', 'ward_nurse', 'home_care'] },
  /** Cost reports: consumption cost by ward and period, the year-end valuation of the ledger (controllers: admins). */
  'reports.read': { roles: ['admin'] },
} as const satisfies Record<string, Permission>;

export type PermissionName = keyof typeof permissions;

function covers(grant: Grant, location: LocationRef): boolean {
  return grant.organisationId === location.organisationId && (grant.locationPath === null || location.path.startsWith(grant.locationPath));
}

/** Whether the actor may perform `name` at `location` (or anywhere in its organisation when omitted). */
export function can(actor: Actor, name: PermissionName, location?: LocationRef): boolean {
  const permission: Permission = permissions[name];
  if (refusal(actor, permission)) return false;
  const grants = actor.grants.filter((g) => permission.roles.includes(g.role));
  if (!location) return grants.some((g) => g.organisationId === actor.organisationId);
  if (permission.openKinds?.includes(location.kind) && actor.grants.some((g) => g.organisationId === location.organisationId)) return true;
  return grants.some((g) => covers(g, location));
}

/** Why the kind of actor (a person, an assistant) may never perform the permission, whatever its grants. */
function refusal(actor: Actor, permission: Permission): 'forbidden_platform' | 'forbidden_assistant' | null {
  if (permission.people === false && actor.via !== 'system') return 'forbidden_platform';
  if (permission.assistants === false && actor.via === 'assistant') return 'forbidden_assistant';
  return null;
}

/** Throws `forbidden` unless the actor may perform `name` at every given location. */
export function authorize(actor: Actor, name: PermissionName, ...locations: LocationRef[]): void {
  const why = refusal(actor, permissions[name]);
  if (why) throw forbidden(name, why);
  const ok = locations.length === 0 ? can(actor, name) : locations.every((location) => can(actor, name, location));
  if (!ok) throw forbidden(name);
}

/**
 * The location subtrees the actor may read for `name`, as SQL-ready path prefixes; `null` means the
 * whole organisation. Used to filter lists instead of checking row by row.
 */
export function readablePaths(actor: Actor, name: PermissionName): { all: boolean; paths: string[]; openKinds: readonly LocationKind[] } {
  const permission: Permission = permissions[name];
  const grants = actor.grants.filter((g) => permission.roles.includes(g.role) && g.organisationId === actor.organisationId);
  return {
    all: grants.some((g) => g.locationPath === null),
    paths: grants.flatMap((g) => (g.locationPath ? [g.locationPath] : [])),
    openKinds: permission.openKinds ?? [],
  };
}

/**
 * An assistant (a bot or an AI) acting for a user: it gets the user's grants and never more. When
 * the assistant itself is narrowed to a subtree, the user's grants outside it are dropped.
 */
export function actingFor(user: Actor, assistantScope?: string | null): Actor {
  const grants = assistantScope
    ? user.grants.filter((g) => g.locationPath !== null && g.locationPath.startsWith(assistantScope))
    : user.grants;
  return { ...user, grants, via: 'assistant' };
}
