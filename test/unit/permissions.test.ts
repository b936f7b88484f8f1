import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { actingFor, authorize, can, permissions, readablePaths, type PermissionName } from '../../api/auth/permissions.ts';
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
const warehouseB = loc('wh-b', orgB, 'warehouse');
const wardB = loc('ward-b', orgB, 'ward');
const locations = { warehouse, whCabinet, pharmacy, cardio, cardioStore, cabinet, surgery, homeCare, home, warehouseB, wardB };
type Place = keyof typeof locations;

const grant = (role: Role, organisationId: string, at?: LocationRef): Grant => ({
  role,
  organisationId,
  locationId: at?.id ?? null,
  locationPath: at?.path ?? null,
});
const actor = (organisationId: string, ...grants: Grant[]): Actor => ({ userId: 'u', organisationId, grants, channel: 'http', via: 'user' });

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
const reads: PermissionName[] = ['catalogue.read', 'locations.read'];
const storeWork: PermissionName[] = ['stock.read', 'stock.receive', 'stock.issue', 'stock.transfer', 'stock.consume', 'stock.adjust', 'stock.return', 'movement.reverse', 'lots.read', 'lots.status', 'requests.process', 'orders.manage'];
const wardWork: PermissionName[] = ['stock.read', 'stock.transfer', 'stock.consume', 'stock.adjust', 'stock.return', 'lots.read', 'requests.emit', 'requests.receive'];

/** The spec, written per role (the transpose of the `permissions` table), so a change to either shows up here. */
const rolePermissions: Record<Role, readonly PermissionName[]> = {
  admin: names,
  warehouse: [...reads, 'catalogue.write', ...storeWork],
  pharmacist: [...reads, 'catalogue.write', ...storeWork],
  ward_nurse: [...reads, ...wardWork, 'alerts.read'],
  home_care: [...reads, ...wardWork, 'homecare.read', 'homecare.plan', 'alerts.read'],
  device: [...reads, 'stock.consume', 'requests.emit'],
  assistant: reads,
};

/** Platform operations: no person holds them through a token, only the system actor (start-up, the CLI). */
const platformOnly: PermissionName[] = ['organisations.write'];
/** What an assistant acting for a user may never do, whatever the user may. */
const neverAssistants: PermissionName[] = ['organisations.write', 'users.write'];

describe('the permissions table', () => {
  it('marks exactly the platform operations and the credential writes assistants may not do', () => {
    expect(names.filter((name) => (permissions[name] as { people?: false }).people === false)).toEqual(platformOnly);
    expect(names.filter((name) => (permissions[name] as { assistants?: false }).assistants === false).sort()).toEqual([...neverAssistants].sort());
  });

  it('refuses credentials to an admin’s assistant with its own message, and organisations to every person', () => {
    const assistant = actingFor(actors.admin);
    expect(can(assistant, 'users.write')).toBe(false);
    expect(can(assistant, 'stock.receive', warehouse)).toBe(true);
    expect(() => authorize(assistant, 'users.write')).toThrow(expect.objectContaining({ code: 'forbidden', key: 'forbidden_assistant' }));
    expect(can(actors.admin, 'organisations.write')).toBe(false);
    expect(() => authorize(actors.admin, 'organisations.write')).toThrow(expect.objectContaining({ code: 'forbidden', key: 'forbidden_platform' }));
    expect(() => authorize(systemActor(orgA), 'organisations.write')).not.toThrow();
  });

  it.each(Object.entries(rolePermissions))('%s holds exactly its permissions', (role, allowed) => {
    const holding = names.filter((name) => (permissions[name].roles as readonly Role[]).includes(role as Role));
    expect(holding.sort()).toEqual([...allowed].sort());
  });

  it('opens only warehouse and pharmacy stock to every member', () => {
    const open = names.filter((name) => 'openKinds' in permissions[name]);
    expect(open).toEqual(['stock.read']);
    expect(permissions['stock.read'].openKinds).toEqual(['warehouse', 'pharmacy']);
  });
});

describe('can, role by role, inside and outside its scope', () => {
  // [who, permission, where, allowed]
  const cases: Array<[Who, PermissionName, Place, boolean]> = [
    // A ward nurse works in her own ward's subtree, not in another ward.
    ['nurse', 'stock.consume', 'cabinet', true],
    ['nurse', 'stock.transfer', 'cardioStore', true],
    ['nurse', 'stock.adjust', 'cardio', true],
    ['nurse', 'stock.read', 'cabinet', true],
    ['nurse', 'stock.consume', 'surgery', false],
    ['nurse', 'stock.read', 'surgery', false],
    ['nurse', 'stock.adjust', 'home', false],
    ['nurse', 'stock.issue', 'cardioStore', false],
    ['nurse', 'stock.receive', 'cardio', false],
    ['nurse', 'movement.reverse', 'cardio', false],
    ['otherNurse', 'stock.consume', 'surgery', true],
    ['otherNurse', 'stock.consume', 'cabinet', false],
    // Warehouse staff at their warehouse (and what hangs below it), not at the pharmacy.
    ['warehouse', 'stock.receive', 'warehouse', true],
    ['warehouse', 'stock.issue', 'warehouse', true],
    ['warehouse', 'stock.issue', 'whCabinet', true],
    ['warehouse', 'movement.reverse', 'warehouse', true],
    ['warehouse', 'stock.receive', 'pharmacy', false],
    ['warehouse', 'stock.issue', 'pharmacy', false],
    ['warehouse', 'stock.adjust', 'cardioStore', false],
    ['warehouse', 'stock.read', 'cardioStore', false],
    ['pharmacist', 'stock.issue', 'pharmacy', true],
    ['pharmacist', 'stock.issue', 'warehouse', false],
    // A device may only record consumption at its own cabinet.
    ['device', 'stock.consume', 'cabinet', true],
    ['device', 'stock.consume', 'cardioStore', false],
    ['device', 'stock.consume', 'whCabinet', false],
    ['device', 'stock.transfer', 'cabinet', false],
    ['device', 'stock.adjust', 'cabinet', false],
    ['device', 'stock.read', 'cabinet', false],
    ['device', 'lots.read', 'cabinet', false],
    // Home care at the team's patients' homes.
    ['homeCare', 'stock.consume', 'home', true],
    ['homeCare', 'stock.transfer', 'homeCare', true],
    ['homeCare', 'stock.consume', 'cabinet', false],
    ['homeCare', 'stock.read', 'cardio', false],
    // An admin everywhere in its organisation, nowhere in another.
    ['admin', 'stock.receive', 'cardio', true],
    ['admin', 'movement.reverse', 'home', true],
    ['admin', 'locations.write', 'cabinet', true],
    ['admin', 'stock.read', 'warehouseB', false],
    ['admin', 'stock.receive', 'wardB', false],
    ['adminB', 'stock.issue', 'warehouseB', true],
    ['adminB', 'stock.read', 'cardio', false],
    ['adminB', 'stock.read', 'warehouse', false],
    // Warehouse and pharmacy stock is readable by every member of the organisation, and only readable.
    ['nurse', 'stock.read', 'warehouse', true],
    ['nurse', 'stock.read', 'pharmacy', true],
    ['otherNurse', 'stock.read', 'pharmacy', true],
    ['homeCare', 'stock.read', 'warehouse', true],
    ['pharmacist', 'stock.read', 'warehouse', true],
    ['warehouse', 'stock.read', 'pharmacy', true],
    ['device', 'stock.read', 'warehouse', true],
    ['nurse', 'stock.issue', 'warehouse', false],
    ['nurse', 'stock.read', 'whCabinet', false],
    ['nurse', 'lots.read', 'warehouse', false],
  ];

  it.each(cases)('%s → %s at %s: %s', (who, name, place, allowed) => {
    expect(can(actors[who], name, locations[place])).toBe(allowed);
  });

  const scopeOf = (a: Actor, at: LocationRef) => a.grants.some((g) => g.organisationId === at.organisationId && (g.locationPath === null || at.path.startsWith(g.locationPath)));
  const member = (a: Actor, at: LocationRef) => a.grants.some((g) => g.organisationId === at.organisationId);

  it.each(Object.keys(actors) as Who[])('%s: every permission at every location follows the role table and the scope', (who) => {
    const a = actors[who];
    const role = a.grants[0]!.role;
    for (const name of names) {
      for (const place of Object.keys(locations) as Place[]) {
        const at = locations[place];
        const open = name === 'stock.read' && (at.kind === 'warehouse' || at.kind === 'pharmacy') && member(a, at);
        const expected = open || (rolePermissions[role].includes(name) && !platformOnly.includes(name) && scopeOf(a, at));
        expect(can(a, name, at), `${who} ${name} ${place}`).toBe(expected);
      }
    }
  });

  it.each([
    ['nurse', 'stock.read', true],
    ['nurse', 'stock.issue', false],
    ['device', 'stock.consume', true],
    ['device', 'stock.read', false],
    ['warehouse', 'catalogue.write', true],
    ['homeCare', 'catalogue.write', false],
    ['admin', 'users.write', true],
    ['adminB', 'users.write', true],
    ['warehouse', 'users.write', false],
    ['assistantRole', 'catalogue.read', true],
    ['assistantRole', 'stock.read', false],
  ] as Array<[Who, PermissionName, boolean]>)('without a location: %s → %s anywhere in its organisation: %s', (who, name, allowed) => {
    expect(can(actors[who], name)).toBe(allowed);
  });

  it('needs a grant in the actor’s own organisation when no location is given', () => {
    const stray = actor(orgA, grant('admin', orgB));
    expect(can(stray, 'users.write')).toBe(false);
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
    expect(readablePaths(twoOrgs, 'stock.read')).toEqual({ all: false, paths: [cardio.path], openKinds: ['warehouse', 'pharmacy'] });
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
          for (const at of places) if (can(assistant, name, at)) expect(can(user, name, at), `${name} at ${at.id}`).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});
