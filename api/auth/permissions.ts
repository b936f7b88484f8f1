import type { LocationKind, Role } from '../../db/schema/index.ts';
import type { Actor, Grant, LocationRef } from '../core/context.ts';
import { forbidden, forbiddenDestination } from '../core/errors.ts';

/**
 * Where a move may put stock, judged against the grant that covers its source: `scope` inside that grant's
 * own subtree (a ward store and its cabinets), `stores` a warehouse or pharmacy of its organisation (the stores
 * that supply every ward: routing is by item, organisation-wide), `organisation` any location of it. Never
 * another organisation, never the in-transit location.
 */
export type Reach = 'scope' | 'stores' | 'organisation';

interface Permission {
  /** Roles that may perform it, each within its grant's organisation and location subtree. */
  roles: readonly Role[];
  /** Location kinds any member of the organisation may reach (wards see the supplying warehouse's stock). */
  openKinds?: readonly LocationKind[];
  /**
   * Writes to the ledger by hand. The in-transit location belongs to the issue-note flows (fulfilment puts
   * stock in, taking in charge or reversing the note takes it out), so no hand write reaches it, whatever the scope.
   */
  ledger?: true;
  /**
   * Moves (source and destination): the destination each role may reach from a source its grant covers; a role left out
   * may not move.
   */
  to?: { readonly [R in Role]?: Reach | readonly Reach[] };
  /**
   * `parent`: the move's source is the location right above the grant's (a cabinet fills from the store it hangs
   * under), not inside it.
   */
  source?: 'parent';
  /** `false`: refused to an assistant (a bot or an AI acting for a user), whatever its user may do. */
  assistants?: false;
  /**
   * `false`: a platform operation, never done by a person through a channel, only by the system (the CLI, start-up).
   */
  people?: false;
}

const everyone = ['admin', 'warehouse', 'pharmacist', 'ward_nurse', 'home_care', 'device', 'assistant'] as const;
const staff = ['admin', 'warehouse', 'pharmacist', 'ward_nurse', 'home_care'] as const;
const stores = ['admin', 'warehouse', 'pharmacist'] as const;
/**
 * Stores staff move stock anywhere in their organisation (issues to wards, homes, cabinets; between stores). An
 * admin reaches its scope: the whole organisation, or only the subtree its grant names (a ward's admin never
 * pushes stock into another ward).
 */
const anywhere = { admin: 'scope', warehouse: 'organisation', pharmacist: 'organisation' } as const;

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
  /**
   * Create an organisation: a platform operation (`npm run cli -- organisation create`), not an organisation admin's.
   */
  'organisations.write': { roles: ['admin'], people: false, assistants: false },
  /** Create users with their roles, issue and revoke API tokens: never through an assistant. */
  'users.write': { roles: ['admin'], assistants: false },
  'stock.read': { roles: staff, openKinds: ['warehouse', 'pharmacy'] },
  'stock.receive': { roles: stores, ledger: true },
  /** Issue (scarico) from a store to any location of the organisation. */
  'stock.issue': { roles: stores, ledger: true, to: anywhere },
  /**
   * Wards and home care move stock only inside their own subtree (ward store ↔ its cabinets, team ↔ its patients'
   * homes).
   */
  'stock.transfer': { roles: staff, ledger: true, to: { ...anywhere, ward_nurse: 'scope', home_care: 'scope' } },
  'stock.consume': { roles: [...staff, 'device'], ledger: true },
  /**
   * An RFID cabinet's put-away: tagged packs placed in it move from the store it hangs under (its parent) into the
   * cabinet itself.
   */
  'stock.put_away': { roles: ['device'], ledger: true, source: 'parent', to: { device: 'scope' } },
  'stock.adjust': { roles: staff, ledger: true },
  /**
   * Wards send stock back to a warehouse or pharmacy, never into another ward. Home care too: a recall
   * reaches every holder, patients' homes included (the team brings the lot back), so a home returns to a store.
   */
  'stock.return': {
    roles: staff,
    ledger: true,
    to: { ...anywhere, admin: ['scope', 'stores'], ward_nurse: 'stores', home_care: 'stores' },
  },
  /**
   * Undo a movement: allowed where it was authored (its source, or the receiver of a receipt); its other side anywhere
   * in the organisation.
   */
  'movement.reverse': { roles: stores, ledger: true, to: anywhere },
  'lots.read': { roles: staff },
  /** Emit a ward request for a destination (ward store, cabinet, home); devices emit under-stock requests. */
  'requests.emit': { roles: ['admin', 'ward_nurse', 'home_care', 'device'] },
  /**
   * Ask for more than the cap of a request line (4 weeks of usual consumption), with a reason that is audited: a
   * person, never an assistant.
   */
  'requests.exceed_cap': { roles: ['admin'], assistants: false },
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
  return (
    grant.organisationId === location.organisationId &&
    (grant.locationPath === null || location.path.startsWith(grant.locationPath))
  );
}

/** Whether the actor may perform `name` at `location` (or anywhere in its organisation when omitted). */
export function can(actor: Actor, name: PermissionName, location?: LocationRef): boolean {
  const permission: Permission = permissions[name];
  if (refusal(actor, permission)) return false;
  const grants = actor.grants.filter((g) => permission.roles.includes(g.role));
  if (!location) return grants.some((g) => g.organisationId === actor.organisationId);
  if (permission.ledger && location.kind === 'transit') return false;
  if (
    permission.openKinds?.includes(location.kind) &&
    actor.grants.some((g) => g.organisationId === location.organisationId)
  )
    return true;
  return grants.some((g) => covers(g, location));
}

/** The grant's own location's parent path ('/a/b/' for a grant at '/a/b/c/'); null for an organisation-wide grant. */
const parentPath = (grant: Grant) => (grant.locationPath === null ? null : grant.locationPath.replace(/[^/]+\/$/, ''));

/**
 * Whether the grant may move stock out of `from`: inside its subtree, or its location's parent when the permission says
 * so.
 */
function sources(permission: Permission, grant: Grant, from: LocationRef): boolean {
  if (permission.source === 'parent')
    return grant.organisationId === from.organisationId && parentPath(grant) === from.path;
  return covers(grant, from);
}

function reaches(reach: Reach | readonly Reach[] | undefined, grant: Grant, to: LocationRef): boolean {
  if (reach === undefined || to.organisationId !== grant.organisationId || to.kind === 'transit') return false;
  return (typeof reach === 'string' ? [reach] : reach).some((r) =>
    r === 'organisation'
      ? true
      : r === 'stores'
        ? to.kind === 'warehouse' || to.kind === 'pharmacy'
        : covers(grant, to),
  );
}

/**
 * Whether the actor may move stock with `name` from `from` to `to`: one grant of the permission's roles covers
 * the source (or is right below it, for `source: 'parent'`), and the destination is within that role's declared reach
 * (`to` in the table).
 */
export function canMove(actor: Actor, name: PermissionName, from: LocationRef, to: LocationRef): boolean {
  const permission: Permission = permissions[name];
  if (
    refusal(actor, permission) ||
    !permission.to ||
    from.kind === 'transit' ||
    from.organisationId !== to.organisationId
  )
    return false;
  return actor.grants.some(
    (g) => permission.roles.includes(g.role) && sources(permission, g, from) && reaches(permission.to![g.role], g, to),
  );
}

/**
 * Throws unless the actor may move stock with `name` from `from` to `to` (see `canMove`): `forbidden` when the
 * source is out of reach, `forbidden_destination` (naming it) when only the destination is.
 */
export function authorizeMove(
  actor: Actor,
  name: PermissionName,
  from: LocationRef,
  to: LocationRef & { code: string },
): void {
  if (canMove(actor, name, from, to)) return;
  const permission: Permission = permissions[name];
  const fromOk = permission.source
    ? actor.grants.some((g) => permission.roles.includes(g.role) && sources(permission, g, from))
    : can(actor, name, from);
  throw fromOk && !refusal(actor, permission) ? forbiddenDestination(name, to) : forbidden(name);
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
 * Throws `forbidden` unless the actor holds `name` over its whole organisation (a grant without a location). The
 * organisation itself is where a root location, a role without a location, or the credentials of a user holding one
 * are written: a grant narrowed to a subtree never reaches it (a ward's admin cannot mint an organisation admin).
 */
export function authorizeOrganisation(actor: Actor, name: PermissionName): void {
  const permission: Permission = permissions[name];
  const why = refusal(actor, permission);
  if (why) throw forbidden(name, why);
  if (
    !actor.grants.some(
      (g) => permission.roles.includes(g.role) && g.organisationId === actor.organisationId && g.locationPath === null,
    )
  )
    throw forbidden(name);
}

/**
 * The location subtrees the actor may read for `name`, as SQL-ready path prefixes; `null` means the
 * whole organisation. Used to filter lists instead of checking row by row.
 */
export function readablePaths(
  actor: Actor,
  name: PermissionName,
): { all: boolean; paths: string[]; openKinds: readonly LocationKind[] } {
  const permission: Permission = permissions[name];
  const grants = actor.grants.filter(
    (g) => permission.roles.includes(g.role) && g.organisationId === actor.organisationId,
  );
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
  const grants = assistantScope ? user.grants.filter((g) => g.locationPath?.startsWith(assistantScope)) : user.grants;
  return { ...user, grants, via: 'assistant' };
}
