import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  actingFor,
  authorize,
  authorizeMove,
  authorizeOrganisation,
  can,
  canMove,
  permissions,
  readablePaths,
  type PermissionName,
  type Reach,
} from '../../api/auth/permissions.ts';
import { systemActor, type Actor, type Grant, type LocationRef } from '../../api/core/context.ts';
import { DomainError } from '../../api/core/errors.ts';
import type { LocationKind, Role } from '../../db/schema/index.ts';

const orgA = 'org-a';
const orgB = 'org-b';
const loc = (id: string, organisationId: string, kind: LocationKind, parent?: LocationRef): LocationRef => ({
  id,
  organisationId,
  kind,
  path: `${parent?.path ?? '/'}${id}/`,
});

// Organisation A: the fixture's hospital. Organisation B: a neighbour with a warehouse and a ward.
const warehouse = loc('wh', orgA, 'warehouse');
const whCabinet = loc('wh-cab', orgA, 'cabinet', warehouse);
const pharmacy = loc('ph', orgA, 'pharmacy');
const cardio = loc('card', orgA, 'ward');
const cardioStore = loc('card-mr', orgA, 'ward_store', cardio);
const cabinet = loc('card-arm1', orgA, 'cabinet', cardioStore);
const surgery = loc('chir', orgA, 'ward');
const homeCare = loc('adi', orgA, 'ward');
const home = loc('dom-p001', orgA, 'home', homeCare);
const icu = loc('ti', orgA, 'ward');
const icuCabinet = loc('ti-arm1', orgA, 'cabinet', icu);
const transit = loc('transit', orgA, 'transit');
const warehouseB = loc('wh-b', orgB, 'warehouse');
const wardB = loc('ward-b', orgB, 'ward');
const locations = {
  warehouse,
  whCabinet,
  pharmacy,
  cardio,
  cardioStore,
  cabinet,
  surgery,
  icu,
  icuCabinet,
  homeCare,
  home,
  transit,
  warehouseB,
  wardB,
};
type Place = keyof typeof locations;

const grant = (role: Role, organisationId: string, at?: LocationRef): Grant => ({
  role,
  organisationId,
  locationId: at?.id ?? null,
  locationPath: at?.path ?? null,
});
const actor = (organisationId: string, ...grants: Grant[]): Actor => ({
  userId: 'u',
  organisationId,
  grants,
  channel: 'http',
  via: 'user',
});

const actors = {
  admin: actor(orgA, grant('admin', orgA)),
  warehouse: actor(orgA, grant('warehouse', orgA, warehouse)),
  pharmacist: actor(orgA, grant('pharmacist', orgA, pharmacy)),
  nurse: actor(orgA, grant('ward_nurse', orgA, cardio)),
  otherNurse: actor(orgA, grant('ward_nurse', orgA, surgery)),
  homeCare: actor(orgA, grant('home_care', orgA, homeCare)),
  device: actor(orgA, grant('device', orgA, cabinet)),
  assistantRole: actor(orgA, grant('assistant', orgA)),
  adminB: actor(orgB, grant('admin', orgB)),
};
type Who = keyof typeof actors;

const names = Object.keys(permissions) as PermissionName[];
const roleOf = (a: Actor) => a.grants[0]!.role;
const table = (
  name: PermissionName,
): {
  roles: readonly Role[];
  openKinds?: readonly LocationKind[];
  ledger?: true;
  to?: Partial<Record<Role, Reach | readonly Reach[]>>;
  people?: false;
  source?: 'parent';
} => permissions[name];
const scopeOf = (a: Actor, at: LocationRef) =>
  a.grants.some(
    (g) => g.organisationId === at.organisationId && (g.locationPath === null || at.path.startsWith(g.locationPath)),
  );
const member = (a: Actor, at: LocationRef) => a.grants.some((g) => g.organisationId === at.organisationId);
const isStore = (at: LocationRef) => at.kind === 'warehouse' || at.kind === 'pharmacy';

/** The expectation, derived from the table's data and the scope model above (not from `can`). */
function expectedAt(a: Actor, name: PermissionName, at: LocationRef): boolean {
  const p = table(name);
  if (p.people === false) return false;
  if (p.openKinds?.includes(at.kind) && member(a, at)) return true;
  return p.roles.includes(roleOf(a)) && scopeOf(a, at) && !(p.ledger && at.kind === 'transit');
}

/** `source: 'parent'`: the location right above the grant's own (the fixture writes each place's parent out above). */
const parentOf = (a: Actor, at: LocationRef) =>
  a.grants.some(
    (g) =>
      g.locationId !== null &&
      Object.values(locations).some((l) => l.id === g.locationId && l.path === `${at.path}${l.id}/`),
  );

function expectedMove(a: Actor, name: PermissionName, from: LocationRef, to: LocationRef): boolean {
  const p = table(name);
  const source = p.source === 'parent' ? parentOf(a, from) : scopeOf(a, from);
  if (
    !p.roles.includes(roleOf(a)) ||
    !source ||
    from.kind === 'transit' ||
    to.kind === 'transit' ||
    to.organisationId !== from.organisationId
  )
    return false;
  const reach = p.to?.[roleOf(a)];
  return [reach ?? []]
    .flat()
    .some((r) => r === 'organisation' || (r === 'stores' && isStore(to)) || (r === 'scope' && scopeOf(a, to)));
}

const moveNames = names.filter((n) => 'to' in permissions[n]);

/** Platform operations: no person holds them through a token, only the system actor (start-up, the CLI). */
const platformOnly: PermissionName[] = ['organisations.write'];
/** What an assistant acting for a user may never do, whatever the user may. */
const neverAssistants: PermissionName[] = ['organisations.write', 'users.write', 'requests.exceed_cap'];

describe('the permissions table', () => {
  it('declares, for every move, the reach of each role that holds it', () => {
    expect(moveNames.sort()).toEqual([
      'movement.reverse',
      'stock.issue',
      'stock.put_away',
      'stock.return',
      'stock.transfer',
    ]);
    for (const name of moveNames) {
      expect(Object.keys(table(name).to!).sort(), name).toEqual([...table(name).roles].sort());
      expect(table(name).ledger, name).toBe(true);
    }
  });

  it('lets a cabinet device put away only from the store it hangs under into itself', () => {
    expect(table('stock.put_away')).toMatchObject({ roles: ['device'], source: 'parent', to: { device: 'scope' } });
    expect(canMove(actors.device, 'stock.put_away', cardioStore, cabinet)).toBe(true);
    for (const from of [warehouse, pharmacy, surgery, cardio, icu, transit, warehouseB])
      expect(canMove(actors.device, 'stock.put_away', from, cabinet), from.id).toBe(false);
    for (const to of [cardioStore, icuCabinet, whCabinet])
      expect(canMove(actors.device, 'stock.put_away', cardioStore, to), to.id).toBe(false);
    expect(() => authorizeMove(actors.device, 'stock.put_away', warehouse, { ...cabinet, code: 'CARD-ARM1' })).toThrow(
      expect.objectContaining({ key: 'forbidden' }),
    );
    expect(() =>
      authorizeMove(actors.device, 'stock.put_away', cardioStore, { ...icuCabinet, code: 'TI-ARM1' }),
    ).toThrow(expect.objectContaining({ key: 'forbidden_destination' }));
  });

  it('keeps wards inside their subtree for transfers and sends their returns only to the stores', () => {
    expect(table('stock.transfer').to).toMatchObject({ ward_nurse: 'scope', home_care: 'scope' });
    expect(table('stock.return').to).toMatchObject({ ward_nurse: 'stores', home_care: 'stores' });
  });

  it('marks exactly the platform operations and the credential writes assistants may not do', () => {
    expect(names.filter((name) => (permissions[name] as { people?: false }).people === false)).toEqual(platformOnly);
    expect(names.filter((name) => (permissions[name] as { assistants?: false }).assistants === false).sort()).toEqual(
      [...neverAssistants].sort(),
    );
  });

  it('refuses credentials to an admin’s assistant with its own message, and organisations to every person', () => {
    const assistant = actingFor(actors.admin);
    expect(can(assistant, 'users.write')).toBe(false);
    expect(can(assistant, 'stock.receive', warehouse)).toBe(true);
    expect(() => authorize(assistant, 'users.write')).toThrow(
      expect.objectContaining({ code: 'forbidden', key: 'forbidden_assistant' }),
    );
    expect(can(actors.admin, 'organisations.write')).toBe(false);
    expect(() => authorize(actors.admin, 'organisations.write')).toThrow(
      expect.objectContaining({ code: 'forbidden', key: 'forbidden_platform' }),
    );
    expect(() => authorize(systemActor(orgA), 'organisations.write')).not.toThrow();
  });

  it('opens only warehouse and pharmacy stock to every member', () => {
    const open = names.filter((name) => 'openKinds' in permissions[name]);
    expect(open).toEqual(['stock.read']);
    expect(permissions['stock.read'].openKinds).toEqual(['warehouse', 'pharmacy']);
  });
});

describe('can and canMove, generated from the table: every permission × role × place', () => {
  it.each(Object.keys(actors) as Who[])('%s: every permission at every location', (who) => {
    const a = actors[who];
    for (const name of names) {
      for (const place of Object.keys(locations) as Place[]) {
        expect(can(a, name, locations[place]), `${who} ${name} ${place}`).toBe(expectedAt(a, name, locations[place]));
      }
    }
  });

  it.each(Object.keys(actors) as Who[])('%s: every move from every location to every other', (who) => {
    const a = actors[who];
    let allowed = 0;
    for (const name of moveNames) {
      for (const from of Object.values(locations)) {
        for (const to of Object.values(locations)) {
          if (from === to) continue;
          const expected = expectedMove(a, name, from, to);
          allowed += Number(expected);
          expect(canMove(a, name, from, to), `${who} ${name} ${from.id}→${to.id}`).toBe(expected);
          if (expected) expect(() => authorizeMove(a, name, from, { ...to, code: to.id })).not.toThrow();
          else expect(() => authorizeMove(a, name, from, { ...to, code: to.id })).toThrow(DomainError);
        }
      }
    }
    expect(allowed > 0).toBe(
      ['admin', 'adminB', 'warehouse', 'pharmacist', 'nurse', 'otherNurse', 'homeCare', 'device'].includes(who),
    );
  });

  it.each(Object.keys(actors) as Who[])(
    '%s: every permission without a location, anywhere in its organisation',
    (who) => {
      const a = actors[who];
      for (const name of names)
        expect(can(a, name), `${who} ${name}`).toBe(
          table(name).people !== false &&
            table(name).roles.includes(roleOf(a)) &&
            a.grants[0]!.organisationId === a.organisationId,
        );
    },
  );

  it('needs a grant in the actor’s own organisation when no location is given', () => {
    const stray = actor(orgA, grant('admin', orgB));
    expect(can(stray, 'users.write')).toBe(false);
  });

  // The reproductions (#15), as a reader would check them.
  it.each<[Who, PermissionName, Place, Place, 'forbidden' | 'forbidden_destination' | 'allowed']>([
    ['nurse', 'stock.transfer', 'cardioStore', 'surgery', 'forbidden_destination'],
    ['nurse', 'stock.transfer', 'cardioStore', 'warehouse', 'forbidden_destination'],
    ['nurse', 'stock.transfer', 'cardioStore', 'icuCabinet', 'forbidden_destination'],
    ['nurse', 'stock.transfer', 'cardioStore', 'transit', 'forbidden_destination'],
    ['nurse', 'stock.return', 'cardioStore', 'surgery', 'forbidden_destination'],
    ['nurse', 'stock.return', 'cardioStore', 'transit', 'forbidden_destination'],
    ['homeCare', 'stock.transfer', 'home', 'warehouse', 'forbidden_destination'],
    ['admin', 'stock.transfer', 'cardioStore', 'transit', 'forbidden_destination'],
    ['admin', 'stock.issue', 'warehouse', 'warehouseB', 'forbidden_destination'],
    ['admin', 'stock.transfer', 'transit', 'cardioStore', 'forbidden'],
    ['nurse', 'stock.transfer', 'cardioStore', 'cabinet', 'allowed'],
    ['nurse', 'stock.return', 'cabinet', 'warehouse', 'allowed'],
    ['nurse', 'stock.return', 'cardioStore', 'pharmacy', 'allowed'],
    ['homeCare', 'stock.return', 'home', 'warehouse', 'allowed'],
    ['warehouse', 'stock.issue', 'warehouse', 'icuCabinet', 'allowed'],
  ])('%s %s %s → %s: %s', (who, name, from, to, outcome) => {
    const run = () => authorizeMove(actors[who], name, locations[from], { ...locations[to], code: to });
    if (outcome === 'allowed') expect(run).not.toThrow();
    else
      expect(run).toThrow(
        expect.objectContaining({ code: 'forbidden', key: outcome, params: expect.objectContaining({ action: name }) }),
      );
  });
});

describe('authorize', () => {
  it('passes silently when allowed', () => {
    expect(() => authorize(actors.nurse, 'stock.transfer', cardioStore, cabinet)).not.toThrow();
    expect(() => authorize(actors.admin, 'users.write')).not.toThrow();
  });

  it.each([
    ['nurse', 'stock.issue', ['warehouse']],
    ['nurse', 'stock.transfer', ['cardioStore', 'surgery']],
    ['warehouse', 'stock.receive', ['pharmacy']],
    ['device', 'stock.consume', ['cabinet', 'cardioStore']],
    ['adminB', 'stock.read', ['cardio']],
    ['nurse', 'users.write', []],
  ] as Array<[Who, PermissionName, Place[]]>)('%s may not %s at %j: forbidden naming the action', (who, name, at) => {
    let caught: unknown;
    try {
      authorize(actors[who], name, ...at.map((place) => locations[place]));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DomainError);
    expect(caught).toMatchObject({ code: 'forbidden', key: 'forbidden', params: { action: name } });
  });
});

describe('authorizeOrganisation: the organisation itself (a root location, a role or credentials without a location)', () => {
  it.each(Object.keys(actors) as Who[])('%s: only a grant over its whole organisation, for every permission', (who) => {
    const a = actors[who];
    for (const name of names) {
      const expected =
        table(name).people !== false &&
        a.grants.some(
          (g) => table(name).roles.includes(g.role) && g.organisationId === a.organisationId && g.locationPath === null,
        );
      if (expected) expect(() => authorizeOrganisation(a, name), `${who} ${name}`).not.toThrow();
      else
        expect(() => authorizeOrganisation(a, name), `${who} ${name}`).toThrow(
          expect.objectContaining({ code: 'forbidden' }),
        );
    }
  });

  it('refuses a ward’s admin what its organisation-wide colleague may, and an assistant credentials', () => {
    const wardAdmin = actor(orgA, grant('admin', orgA, cardio));
    expect(() => authorize(wardAdmin, 'users.write', cardioStore)).not.toThrow();
    expect(() => authorizeOrganisation(wardAdmin, 'users.write')).toThrow(
      expect.objectContaining({ key: 'forbidden' }),
    );
    expect(() => authorizeOrganisation(wardAdmin, 'locations.write')).toThrow(
      expect.objectContaining({ key: 'forbidden' }),
    );
    expect(() => authorizeOrganisation(actors.admin, 'locations.write')).not.toThrow();
    expect(() => authorizeOrganisation(actingFor(actors.admin), 'users.write')).toThrow(
      expect.objectContaining({ key: 'forbidden_assistant' }),
    );
  });

  it('keeps a ward’s admin moving stock inside its ward, returns to a store aside', () => {
    const wardAdmin = actor(orgA, grant('admin', orgA, cardio));
    for (const name of ['stock.issue', 'stock.transfer'] as const) {
      expect(canMove(wardAdmin, name, cardioStore, cabinet), name).toBe(true);
      expect(() => authorizeMove(wardAdmin, name, cardioStore, { ...surgery, code: 'surgery' }), name).toThrow(
        expect.objectContaining({ key: 'forbidden_destination' }),
      );
    }
    expect(canMove(wardAdmin, 'stock.return', cardioStore, warehouse)).toBe(true);
    expect(canMove(wardAdmin, 'stock.return', cardioStore, surgery)).toBe(false);
    expect(canMove(actors.admin, 'stock.transfer', cardioStore, surgery)).toBe(true);
  });
});

describe('readablePaths', () => {
  it.each([
    ['admin', { all: true, paths: [] }],
    ['nurse', { all: false, paths: [cardio.path] }],
    ['homeCare', { all: false, paths: [homeCare.path] }],
    ['warehouse', { all: false, paths: [warehouse.path] }],
    ['device', { all: false, paths: [] }],
    ['assistantRole', { all: false, paths: [] }],
  ] as Array<[Who, { all: boolean; paths: string[] }]>)('%s reads stock in %j plus the open kinds', (who, expected) => {
    expect(readablePaths(actors[who], 'stock.read')).toEqual({ ...expected, openKinds: ['warehouse', 'pharmacy'] });
  });

  it('ignores grants held in another organisation', () => {
    const twoOrgs = actor(orgA, grant('ward_nurse', orgA, cardio), grant('admin', orgB));
    expect(readablePaths(twoOrgs, 'stock.read')).toEqual({
      all: false,
      paths: [cardio.path],
      openKinds: ['warehouse', 'pharmacy'],
    });
  });
});

describe('actingFor: an assistant never gets more than its user', () => {
  it('keeps the user and their grants, marked as an assistant', () => {
    const assistant = actingFor(actors.nurse);
    expect(assistant).toEqual({ ...actors.nurse, via: 'assistant' });
    expect(can(assistant, 'stock.consume', cabinet)).toBe(true);
    expect(can(assistant, 'stock.consume', surgery)).toBe(false);
  });

  it.each([
    ['nurse narrowed to her cabinet loses the ward-wide grant', actors.nurse, cabinet.path, 0],
    ['nurse narrowed to her ward keeps it', actors.nurse, cardio.path, 1],
    ['admin narrowed to a ward loses the organisation-wide grant', actors.admin, cardio.path, 0],
    ['device narrowed to the ward keeps its cabinet', actors.device, cardio.path, 1],
  ] as Array<[string, Actor, string, number]>)('%s', (_, user, scope, kept) => {
    expect(actingFor(user, scope).grants).toHaveLength(kept);
  });

  const places = Object.values(locations);
  const grantArb = fc.record({
    role: fc.constantFrom<Role>('admin', 'warehouse', 'pharmacist', 'ward_nurse', 'home_care', 'device', 'assistant'),
    at: fc.option(fc.constantFrom(...places), { nil: undefined }),
    org: fc.constantFrom(orgA, orgB),
  });
  const scopeArb = fc.option(fc.constantFrom(...places.map((p) => p.path)), { nil: undefined });

  it('for any user, scope, permission and location: assistant allowed ⇒ user allowed', () => {
    fc.assert(
      fc.property(fc.array(grantArb, { maxLength: 4 }), fc.constantFrom(orgA, orgB), scopeArb, (specs, org, scope) => {
        const user = actor(org, ...specs.map((s) => grant(s.role, s.at?.organisationId ?? s.org, s.at)));
        const assistant = actingFor(user, scope);
        expect(assistant.via).toBe('assistant');
        expect(assistant.userId).toBe(user.userId);
        for (const name of names) {
          if (can(assistant, name)) expect(can(user, name), name).toBe(true);
          for (const at of places)
            if (can(assistant, name, at)) expect(can(user, name, at), `${name} at ${at.id}`).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});
