import type { Database } from '../../db/client.ts';
import { createUser } from '../../api/access/users.ts';
import { loadGrants } from '../../api/access/users.ts';
import { createCategory, createSection, createSupplier } from '../../api/catalogue/reference-data.ts';
import { createItem } from '../../api/catalogue/items.ts';
import { systemActor, type Actor, type Context } from '../../api/core/context.ts';
import { createLocation } from '../../api/locations/locations.ts';
import { createOrganisation } from '../../api/organisations/organisations.ts';
import type { Role } from '../../db/schema/index.ts';

export const today = new Date('2026-11-23T09:00:00Z');

/** A context for `actor` on `db`, with the clock fixed at `today`. */
export const contextFor = (db: Database, actor: Actor): Context => ({ db, actor, now: () => today });

/**
 * A small hospital: a warehouse, a pharmacy, a ward with its store and a cabinet, a second ward, a home-care
 * team with one patient's home; two items; and one user per role with its scope.
 */
export async function buildHospital(db: Database, code = 'TEST') {
  const bootstrap: Context = { db, actor: systemActor('00000000-0000-0000-0000-000000000000'), now: () => today };
  const org = await createOrganisation({
    ctx: bootstrap,
    input: { code, name: `Ospedale ${code}`, kind: 'hospital_trust' },
  });
  const sys: Context = { db, actor: systemActor(org.id), now: () => today };
  const loc = async (input: Record<string, unknown>) => createLocation({ ctx: sys, input });
  const warehouse = await loc({ kind: 'warehouse', code: 'MAG', name: 'Magazzino Generale' });
  const pharmacy = await loc({ kind: 'pharmacy', code: 'FARM', name: 'Farmacia' });
  const cardio = await loc({ kind: 'ward', code: 'CARD', name: 'Cardiologia', aliases: ['cardio'] });
  const cardioStore = await loc({
    kind: 'ward_store',
    code: 'CARD-MR',
    name: 'Magazzino Cardiologia',
    parentId: cardio.id,
  });
  const cabinet = await loc({
    kind: 'cabinet',
    code: 'CARD-ARM1',
    name: 'Armadio Cardiologia',
    parentId: cardioStore.id,
  });
  const surgery = await loc({ kind: 'ward', code: 'CHIR', name: 'Chirurgia Generale' });
  const homeCare = await loc({ kind: 'ward', code: 'ADI', name: 'Assistenza Domiciliare' });
  const home = await loc({
    kind: 'home',
    code: 'DOM-P001',
    name: 'Domicilio P-001',
    parentId: homeCare.id,
    patientCode: 'P-001',
  });
  const section = await createSection({
    ctx: sys,
    input: { code: 'MAGAZZINO', name: 'Magazzino', fulfilledFromId: warehouse.id },
  });
  const category = await createCategory({
    ctx: sys,
    input: { code: 'DM', name: 'Dispositivi medici', nameEn: 'Medical devices', sectionId: section.id },
  });
  const supplier = await createSupplier({
    ctx: sys,
    input: { code: 'SUP1', name: 'Forniture Sanitarie Srl', leadTimeDays: 5 },
  });
  const gloves = await createItem({
    ctx: sys,
    input: {
      code: 'DM-GUA-M',
      name: 'Guanti in nitrile taglia M',
      nameEn: 'Nitrile gloves size M',
      synonyms: ['guanti M', 'gloves medium'],
      categoryId: category.id,
      unit: 'pz',
      packSize: 100,
      gtin: '08012345000012',
      referencePrice: 0.05,
    },
  });
  const syringe = await createItem({
    ctx: sys,
    input: {
      code: 'DM-SIR-10',
      name: 'Siringa monouso 10 ml',
      nameEn: 'Disposable syringe 10 ml',
      synonyms: ['siringhe da 10'],
      categoryId: category.id,
      unit: 'pz',
      referencePrice: 0.12,
    },
  });
  const actors = {} as Record<
    'admin' | 'warehouse' | 'pharmacist' | 'nurse' | 'otherNurse' | 'homeCare' | 'device',
    Actor
  >;
  const user = async (key: keyof typeof actors, role: Role, locationId?: string) => {
    const u = await createUser({
      ctx: sys,
      input: {
        username: `${code.toLowerCase()}.${key.toLowerCase()}`,
        displayName: key,
        roles: [{ role, locationId }],
      },
    });
    actors[key] = {
      userId: u.id,
      organisationId: org.id,
      grants: await loadGrants({ db }, u.id),
      channel: 'http',
      via: 'user',
    };
  };
  await user('admin', 'admin');
  await user('warehouse', 'warehouse', warehouse.id);
  await user('pharmacist', 'pharmacist', pharmacy.id);
  await user('nurse', 'ward_nurse', cardio.id);
  await user('otherNurse', 'ward_nurse', surgery.id);
  await user('homeCare', 'home_care', homeCare.id);
  await user('device', 'device', cabinet.id);
  return {
    org,
    sys,
    warehouse,
    pharmacy,
    cardio,
    cardioStore,
    cabinet,
    surgery,
    homeCare,
    home,
    section,
    category,
    supplier,
    gloves,
    syringe,
    actors,
  };
}

export type Hospital = Awaited<ReturnType<typeof buildHospital>>;

/** An item of the hospital's category counted in pieces, `name` in Italian then English; `more` adds fields. */
export const createPieceItem = (h: Hospital, code: string, name: string, nameEn: string, more = {}) =>
  createItem({ ctx: h.sys, input: { code, name, nameEn, categoryId: h.category.id, unit: 'pz', ...more } });
