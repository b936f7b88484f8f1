/*
 * The demo loader: besides `api/`, the one place allowed to touch tables directly. It loads through the core
 * actions wherever one exists; what has no action yet it writes by hand: ward budgets and supply contracts
 * (requests.ts), device consumption rules (devices.ts), supply plans backdated to their enrolment (homecare.ts).
 * It also reads the organisation count under an advisory lock, so that a first run loads once. Issue #18 gives
 * these writes their domain actions; the loader will use them then.
 */
import { sql } from 'drizzle-orm';
import { createApiToken } from '../api/access/tokens.ts';
import { createUser } from '../api/access/users.ts';
import { createItem } from '../api/catalogue/items.ts';
import { createCategory, createSection, createSupplier } from '../api/catalogue/reference-data.ts';
import { systemActor, withTransaction, type Context } from '../api/core/context.ts';
import { createLocation } from '../api/locations/locations.ts';
import { createOrganisation } from '../api/organisations/organisations.ts';
import { adjustStock } from '../api/stock/adjust-stock.ts';
import { transferStock, issueStock } from '../api/stock/issue-stock.ts';
import { receiveGoods } from '../api/stock/receive-goods.ts';
import { recordConsumption } from '../api/stock/record-consumption.ts';
import type { Database } from '../db/client.ts';
import {
  demoCategories,
  demoHomeProfile,
  demoItems,
  demoOrganisations,
  demoSections,
  demoSuppliers,
  demoUsers,
  demoWardProfile,
  type DemoItem,
} from './catalogue.ts';
import { organisations } from '../db/schema/index.ts';
import { demoDevices, type DemoDevice } from './devices.ts';
import { demoSupplyPlans } from './homecare.ts';
import { demoRequests } from './requests.ts';
import { seededRandom } from './random.ts';

const historyDays = 90;
const day = 86_400_000;

const shelfLifeMonths: Record<string, number> = {
  FARM: 24,
  GAS: 6,
  NUTR: 12,
  DIAG: 18,
  DM: 48,
  MEDIC: 36,
  DPI: 48,
  ECON: 60,
};

/**
 * Loads the demo (two organisations, their trees, catalogue, users, ~90 days of plausible movements and
 * today's ward requests, its MQTT devices) into an empty database, through the same core actions every
 * channel uses. Returns, when it loaded, a fresh admin token per organisation (the first also as
 * `adminToken`) and the demo devices' credentials (shown once: `npm run simulate` plays them); nothing
 * when the database already had data.
 */
export async function prepareDemo(
  db: Database,
  now = new Date(),
): Promise<{
  adminToken?: string;
  adminUser?: string;
  adminTokens?: { organisation: string; user: string; token: string }[];
  devices?: DemoDevice[];
}> {
  const loadedAlready = async (on: Database) =>
    ((await on.select({ count: sql<number>`count(*)::int` }).from(organisations)) as [{ count: number }])[0].count > 0;
  if (await loadedAlready(db)) return {};
  console.log('Loading the demo hospital (first run only)…');
  const rand = seededRandom(20061508);
  const adminTokens: { organisation: string; user: string; token: string }[] = [];
  const devices: DemoDevice[] = [];
  for (const [index, orgData] of demoOrganisations.entries()) {
    const boot: Context = { db, actor: systemActor('00000000-0000-0000-0000-000000000000'), now: () => now };
    // Results leave the transaction only when it commits (a retried attempt must not leave stale secrets).
    const loaded = await withTransaction(boot, async (bootTx) => {
      if (index === 0) {
        // Several servers may start at once on one empty database: the first to take this lock loads the demo,
        // the others wait for its first organisation to commit and find the demo there.
        await bootTx.db.execute(sql`select pg_advisory_xact_lock(727275)`);
        if (await loadedAlready(bootTx.db)) return null;
      }
      let admin: { organisation: string; user: string; token: string } | undefined;
      const org = await createOrganisation({
        ctx: bootTx,
        input: { code: orgData.code, name: orgData.name, kind: orgData.kind },
      });
      const ctx: Context = { ...bootTx, actor: systemActor(org.id) };
      const loc = new Map<string, string>();
      for (const l of orgData.locations) {
        const { parent, ...rest } = l;
        const row = await createLocation({ ctx, input: { ...rest, ...(parent ? { parentId: loc.get(parent) } : {}) } });
        loc.set(l.code, row.id);
      }
      const store = (code: 'MAG' | 'FARM') => loc.get(code) ?? [...loc.entries()].find(([c]) => c.endsWith('MAG'))![1];
      const sections = new Map<string, string>();
      for (const s of demoSections)
        sections.set(
          s.code,
          (
            await createSection({
              ctx,
              input: { code: s.code, name: s.name, nameEn: s.nameEn, fulfilledFromId: store(s.fulfilledFrom) },
            })
          ).id,
        );
      const categoryStore = new Map<string, string>();
      const categories = new Map<string, string>();
      for (const c of demoCategories) {
        categories.set(
          c.code,
          (
            await createCategory({
              ctx,
              input: { code: c.code, name: c.name, nameEn: c.nameEn, sectionId: sections.get(c.section) },
            })
          ).id,
        );
        categoryStore.set(c.code, store(demoSections.find((s) => s.code === c.section)!.fulfilledFrom));
      }
      const suppliers = new Map<string, string>();
      for (const s of demoSuppliers) suppliers.set(s.code, (await createSupplier({ ctx, input: s })).id);

      // Consumption plan per consuming location: wards' stores (and the ICU cabinet), or patients' homes.
      const plan: { locationId: string; itemCode: string; dailyUnits: number; supplier: string }[] = [];
      for (const [ward, lines] of Object.entries(demoWardProfile)) {
        const wardStore = loc.get(`${ward}-MR`);
        if (!wardStore) continue;
        lines.forEach((line, i) => {
          const atCabinet = ward === 'TI' && i % 3 === 0 && loc.has('TI-ARM1');
          plan.push({
            locationId: atCabinet ? loc.get('TI-ARM1')! : wardStore,
            itemCode: line.itemCode,
            dailyUnits: line.weeklyUnits / 7,
            supplier: wardStore,
          });
        });
      }
      for (const [patient, lines] of Object.entries(demoHomeProfile)) {
        const home = orgData.locations.find((l) => l.patientCode === patient);
        if (home)
          for (const line of lines)
            plan.push({
              locationId: loc.get(home.code)!,
              itemCode: line.itemCode,
              dailyUnits: line.dailyUnits,
              supplier: '',
            });
      }
      const used = new Set(plan.map((p) => p.itemCode));
      const catalogue = orgData.kind === 'hospital_trust' ? demoItems : demoItems.filter((i) => used.has(i.code));
      const items = new Map<string, { id: string; data: DemoItem }>();
      for (const item of catalogue) {
        const { category, supplier, weeklyDemandHint: _w, unitWeightGrams: _u, referencePrice, gtin, ...rest } = item;
        const row = await createItem({
          ctx,
          input: {
            ...rest,
            ...(gtin ? { gtin } : {}),
            categoryId: categories.get(category),
            supplierId: suppliers.get(supplier),
            referencePrice: Number(referencePrice),
          },
        });
        items.set(item.code, { id: row.id, data: item });
      }
      for (const u of demoUsers.filter((u) => u.organisation === orgData.code)) {
        const user = await createUser({
          ctx,
          input: {
            username: u.username,
            displayName: u.displayName,
            locale: u.locale,
            roles: [{ role: u.role, ...(u.location ? { locationId: loc.get(u.location) } : {}) }],
          },
        });
        if (u.role === 'admin' && !admin)
          admin = {
            organisation: orgData.code,
            user: u.username,
            token: (await createApiToken({ ctx, input: { userId: user.id, name: 'demo admin' } })).token,
          };
      }
      await simulate(ctx, {
        now,
        rand,
        plan: plan.filter((p) => items.has(p.itemCode)),
        items,
        categoryStore,
        suppliers,
        homeStore:
          orgData.kind === 'hospital_trust' ? undefined : [...loc.entries()].find(([c]) => c.endsWith('MAG'))![1],
      });
      if (orgData.kind === 'hospital_trust')
        await demoRequests(
          ctx,
          (c) => loc.get(c)!,
          (c) => items.get(c)!.id,
          (c) => suppliers.get(c)!,
        );
      const registered = await demoDevices(
        ctx,
        orgData,
        (c) => loc.get(c),
        (c) => items.get(c)?.id,
      );
      await demoSupplyPlans(
        ctx,
        orgData,
        (c) => loc.get(c),
        (c) => items.get(c)?.id,
      );
      return { admin, devices: registered };
    });
    if (!loaded) return {};
    if (loaded.admin) adminTokens.push(loaded.admin);
    devices.push(...loaded.devices);
  }
  const adminToken = adminTokens[0]?.token;
  const adminUser = adminTokens[0]?.user;
  return { adminToken, adminUser, adminTokens, devices };
}

interface Simulation {
  now: Date;
  rand: () => number;
  plan: { locationId: string; itemCode: string; dailyUnits: number; supplier: string }[];
  items: Map<string, { id: string; data: DemoItem }>;
  categoryStore: Map<string, string>;
  suppliers: Map<string, string>;
  homeStore: string | undefined;
}

/**
 * Ninety days of a working hospital: fortnightly receipts, weekly issues to ward stores and the cabinet, consumption
 * every third day.
 */
async function simulate(ctx: Context, s: Simulation) {
  const onHand = new Map<string, number>();
  const key = (loc: string, item: string) => `${loc}|${item}`;
  const add = (loc: string, item: string, n: number) =>
    onHand.set(key(loc, item), (onHand.get(key(loc, item)) ?? 0) + n);
  const storeOf = (code: string) => s.homeStore ?? s.categoryStore.get(s.items.get(code)!.data.category)!;
  const wardStoreOf = (p: Simulation['plan'][number]) => p.supplier || p.locationId;
  const start = s.now.getTime() - historyDays * day;
  const at = (d: number, hour: number) => new Date(start + d * day + hour * 3_600_000).toISOString();
  let lotSeq = 0;
  for (let d = 0; d < historyDays; d++) {
    if (d % 14 === 0) {
      const bySupplier = new Map<
        string,
        { itemId: string; lotCode: string; expiry: string; quantity: number; unitPrice: number }[]
      >();
      for (const [code, { id, data }] of s.items) {
        const need = s.plan.filter((p) => p.itemCode === code).reduce((sum, p) => sum + p.dailyUnits * 14 * 1.25, 0);
        if (need === 0) continue;
        const quantity = Math.ceil(need / data.packSize) * data.packSize;
        const expiry = new Date(
          start + d * day + (shelfLifeMonths[data.category] ?? 24) * 30 * day * (0.5 + s.rand() * 0.5),
        );
        const lines = bySupplier.get(data.supplier) ?? [];
        lines.push({
          itemId: id,
          lotCode: `${code.replace(/[^A-Z0-9]/g, '').slice(-3)}${String(++lotSeq).padStart(5, '0')}`,
          expiry: expiry.toISOString().slice(0, 10),
          quantity,
          unitPrice: Number(data.referencePrice) * (0.95 + s.rand() * 0.1),
        });
        bySupplier.set(data.supplier, lines);
      }
      for (const [supplier, lines] of bySupplier) {
        for (const store of new Set(
          lines.map((l) => storeOf([...s.items.values()].find((i) => i.id === l.itemId)!.data.code)),
        )) {
          const here = lines.filter(
            (l) => storeOf([...s.items.values()].find((i) => i.id === l.itemId)!.data.code) === store,
          );
          await receiveGoods({
            ctx,
            input: {
              locationId: store,
              supplierId: s.suppliers.get(supplier),
              documentType: 'DDT',
              documentId: `DDT-${supplier}-${d}`,
              occurredAt: at(d, 8),
              lines: here,
            },
          });
          for (const l of here) add(store, l.itemId, l.quantity);
        }
      }
    }
    if (d % 7 === 1) {
      // Weekly issue to each ward store (and home), enough for a week and a half.
      const byDestination = new Map<string, { itemId: string; quantity: number }[]>();
      for (const p of s.plan) {
        const { id, data } = s.items.get(p.itemCode)!;
        const dest = wardStoreOf(p);
        const wanted =
          Math.ceil((p.dailyUnits * 10) / data.packSize) * data.packSize - (onHand.get(key(dest, id)) ?? 0);
        const quantity = Math.min(Math.max(wanted, 0), onHand.get(key(storeOf(p.itemCode), id)) ?? 0);
        if (quantity <= 0) continue;
        add(storeOf(p.itemCode), id, -quantity);
        add(dest, id, quantity);
        byDestination.set(`${storeOf(p.itemCode)}>${dest}`, [
          ...(byDestination.get(`${storeOf(p.itemCode)}>${dest}`) ?? []),
          { itemId: id, quantity },
        ]);
      }
      for (const [route, lines] of byDestination) {
        const [from, to] = route.split('>') as [string, string];
        await issueStock({
          ctx,
          input: {
            fromLocationId: from,
            toLocationId: to,
            documentType: 'BOLLA',
            documentId: `BS-${d}-${to.slice(0, 8)}`,
            occurredAt: at(d, 10),
            lines,
          },
        });
      }
      for (const p of s.plan.filter((p) => p.supplier && p.supplier !== p.locationId)) {
        const { id } = s.items.get(p.itemCode)!;
        const quantity = Math.min(Math.ceil(p.dailyUnits * 8), onHand.get(key(p.supplier, id)) ?? 0);
        if (quantity <= 0) continue;
        await transferStock({
          ctx,
          input: {
            fromLocationId: p.supplier,
            toLocationId: p.locationId,
            occurredAt: at(d, 11),
            lines: [{ itemId: id, quantity }],
          },
        });
        add(p.supplier, id, -quantity);
        add(p.locationId, id, quantity);
      }
    }
    // Wards record what they used every third evening (scarico a consumo), as many do on paper today.
    if (d % 3 !== 2) continue;
    const byLocation = new Map<string, { itemId: string; quantity: number }[]>();
    for (const p of s.plan) {
      const { id } = s.items.get(p.itemCode)!;
      const quantity = Math.min(
        Math.round(3 * p.dailyUnits * (0.6 + s.rand() * 0.8)),
        onHand.get(key(p.locationId, id)) ?? 0,
      );
      if (quantity <= 0) continue;
      add(p.locationId, id, -quantity);
      byLocation.set(p.locationId, [...(byLocation.get(p.locationId) ?? []), { itemId: id, quantity }]);
    }
    for (const [locationId, lines] of byLocation)
      await recordConsumption({ ctx, input: { locationId, occurredAt: at(d, 18), lines } });
  }
  // A monthly count at one ward store found two boxes fewer than the books.
  const counted = s.plan.find((p) => p.supplier && p.supplier === p.locationId);
  if (counted) {
    const { id } = s.items.get(counted.itemCode)!;
    const { movements } = await recordConsumption({
      ctx,
      input: { locationId: counted.locationId, lines: [{ itemId: id, quantity: 1 }], reason: 'conteggio' },
    });
    const lotId = movements[0]!.lotId;
    await adjustStock({
      ctx,
      input: {
        locationId: counted.locationId,
        lotId,
        countedQuantity: 0,
        reason: 'Inventario mensile: lotto esaurito',
      },
    });
  }
}
