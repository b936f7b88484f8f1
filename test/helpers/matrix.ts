import { sql } from 'drizzle-orm';
import { permissions, type PermissionName, type Reach } from '../../api/auth/permissions.ts';
import type { Database } from '../../db/client.ts';
import type { LocationKind, Role } from '../../db/schema/index.ts';
import type { Hospital } from './fixture.ts';
import { rows } from './ledger.ts';

/**
 * The permission matrix's expectations, derived from the permission table's data (roles, `ledger`, `to`,
 * `assistants`, `people`) and the fixture's scopes written out below, never from `can` itself.
 */

export type Place =
  | 'warehouse'
  | 'pharmacy'
  | 'pharmacy2'
  | 'cardio'
  | 'cardioStore'
  | 'cabinet'
  | 'surgery'
  | 'homeCare'
  | 'home'
  | 'otherHome'
  | 'transit'
  | 'otherStore';
export type Who =
  | 'admin'
  | 'wardAdmin'
  | 'warehouse'
  | 'pharmacist'
  | 'nurse'
  | 'otherNurse'
  | 'homeCare'
  | 'device'
  | 'assistant'
  | 'adminAssistant';

/**
 * Each matrix user's role, the places its grant covers ('all': its whole organisation), and whether it is an assistant
 * token.
 */
export const users: Record<Who, { role: Role; scope: 'all' | Place[]; own: Place; via?: 'assistant' }> = {
  admin: { role: 'admin', scope: 'all', own: 'cardioStore' },
  /** An admin whose grant is Cardiology's subtree only. */
  wardAdmin: { role: 'admin', scope: ['cardio', 'cardioStore', 'cabinet'], own: 'cardioStore' },
  warehouse: { role: 'warehouse', scope: ['warehouse'], own: 'warehouse' },
  pharmacist: { role: 'pharmacist', scope: ['pharmacy'], own: 'pharmacy' },
  nurse: { role: 'ward_nurse', scope: ['cardio', 'cardioStore', 'cabinet'], own: 'cardioStore' },
  otherNurse: { role: 'ward_nurse', scope: ['surgery'], own: 'surgery' },
  homeCare: { role: 'home_care', scope: ['homeCare', 'home'], own: 'home' },
  device: { role: 'device', scope: ['cabinet'], own: 'cabinet' },
  /** A user whose only role is `assistant`. */
  assistant: { role: 'assistant', scope: 'all', own: 'cardioStore' },
  /** The admin's assistant token (a bot or an AI acting for the admin): the admin's grants, never credentials. */
  adminAssistant: { role: 'admin', scope: 'all', own: 'cardioStore', via: 'assistant' },
};
/** The places of `h` both matrices use, and Cardiology's store of the `other` organisation. */
export const placesOf = (h: Hospital, other: Hospital) => ({
  warehouse: h.warehouse.id,
  pharmacy: h.pharmacy.id,
  cardio: h.cardio.id,
  cardioStore: h.cardioStore.id,
  cabinet: h.cabinet.id,
  surgery: h.surgery.id,
  homeCare: h.homeCare.id,
  home: h.home.id,
  otherStore: other.cardioStore.id,
});

export const kindOf: Record<Place, LocationKind> = {
  warehouse: 'warehouse',
  pharmacy: 'pharmacy',
  pharmacy2: 'pharmacy',
  cardio: 'ward',
  cardioStore: 'ward_store',
  cabinet: 'cabinet',
  surgery: 'ward',
  homeCare: 'ward',
  home: 'home',
  otherHome: 'home',
  transit: 'transit',
  otherStore: 'ward_store',
};
/**
 * Where a write happens besides a place: `org` anywhere in the organisation (an organisation-wide permission such as
 * the catalogue: any grant of its roles), `root` the organisation itself (a root location, a role or a user without a
 * location: only a grant over the whole organisation), `otherOrg` another organisation's id.
 */
export type At = Place | 'org' | 'root' | 'otherOrg';
/** Another organisation's place (its ids are not revealed: 404). */
export const foreign = (p: At) => p === 'otherStore' || p === 'otherOrg';
export const inScope = (who: Who, p: Place | 'root') =>
  !foreign(p) && (users[who].scope === 'all' || (users[who].scope as string[]).includes(p));

/**
 * Outcomes: `refused` is a foreign id asked by a role that may not perform the action at all (403 or 404: either
 * refuses without revealing anything, depending on which the action checks first).
 */
export type Outcome = 'allowed' | 'forbidden' | 'forbidden_destination' | 'not_found' | 'refused';

type Row = {
  roles: readonly Role[];
  ledger?: true;
  to?: Partial<Record<Role, Reach | readonly Reach[]>>;
  assistants?: false;
  people?: false;
};
const row = (name: PermissionName): Row => permissions[name] as Row;

/** Whether the kind of actor (an assistant, a person) may perform it at all, and its role holds it. */
export function holds(who: Who, name: PermissionName): boolean {
  const p = row(name);
  if (p.people === false) return false;
  if (p.assistants === false && users[who].via === 'assistant') return false;
  return p.roles.includes(users[who].role);
}

/**
 * A write at one place (`org`: an organisation-wide write, no location; `otherOrg`: another organisation's id):
 * the role holds the permission, its grant covers the place, and hand ledger writes never touch in-transit.
 */
export function expectAt(who: Who, name: PermissionName, at: At): Outcome {
  if (foreign(at)) return holds(who, name) || at === 'otherStore' ? 'not_found' : 'refused';
  if (!holds(who, name)) return 'forbidden';
  if (at === 'org') return 'allowed';
  return inScope(who, at) && !(row(name).ledger && at === 'transit') ? 'allowed' : 'forbidden';
}

/** A move: allowed at its source (as above), then the destination within the role's declared reach. */
export function expectMove(who: Who, name: PermissionName, from: Place, to: Place): Outcome {
  if (foreign(from) || foreign(to)) return 'not_found';
  if (expectAt(who, name, from) !== 'allowed') return 'forbidden';
  const reach = row(name).to?.[users[who].role];
  const ok =
    to !== 'transit' &&
    [reach ?? []]
      .flat()
      .some(
        (r) =>
          r === 'organisation' ||
          (r === 'stores' && ['warehouse', 'pharmacy'].includes(kindOf[to])) ||
          (r === 'scope' && inScope(who, to)),
      );
  return ok ? 'allowed' : 'forbidden_destination';
}

/**
 * Everything a write can leave behind, in one round trip: row counts and a digest of every status, so a refusal
 * can be checked to have written nothing at all.
 */
export async function written(db: Database) {
  const digest = (q: string) => `(select md5(coalesce(string_agg(${q}, ',' order by ${q}), '')) from `;
  const [r] = await rows<Record<string, string | number>>(
    db,
    sql.raw(`select
    (select count(*)::int from movements) as movements, (select count(*)::int from audit_log) as audit,
    (select count(*)::int from ward_requests) as requests, (select count(*)::int from lots) as lots,
    (select count(*)::int from lot_recalls) as recalls, (select count(*)::int from idempotency_keys) as keys,
    (select count(*)::int from users) as users, (select count(*)::int from api_tokens) as tokens,
    (select count(*)::int from organisations) as organisations, (select count(*)::int from locations) as locations,
    (select count(*)::int from items) as items, (select count(*)::int from item_categories) as categories,
    (select count(*)::int from procurement_sections) as sections, (select count(*)::int from suppliers) as suppliers,
    (select count(*)::int from issue_notes) as "issueNotes", (select count(*)::int from picking_lists) as "pickingLists",
    (select count(*)::int from purchase_orders) as "purchaseOrders", (select count(*)::int from supply_plans) as plans,
    (select count(*)::int from chat_link_codes) as "linkCodes",
    ${digest(`id::text || status`)} ward_requests) as "requestStatus",
    ${digest(`id::text || status || coalesce(quantity_approved, -1)::text`)} request_lines) as "lineStatus",
    ${digest(`id::text || status`)} issue_notes) as "noteStatus",
    ${digest(`id::text || status`)} picking_lists) as "listStatus",
    ${digest(`id::text || status`)} purchase_orders) as "orderStatus",
    ${digest(`id::text || status`)} lots) as "lotStatus",
    ${digest(`id::text || status`)} lot_recalls) as "recallStatus",
    ${digest(`id::text || coalesce(revoked_at::text, '-')`)} api_tokens) as "tokenStatus",
    ${digest(`id::text || daily_quantity::text || coalesce(ended_at::text, '-')`)} supply_plans) as "planStatus"`),
  );
  return r!;
}
