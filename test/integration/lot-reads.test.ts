import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../api/core/context.ts';
import { exportLotFhir } from '../../api/fhir/export-lot.ts';
import { lotHistory } from '../../api/lots/lot-history.ts';
import { recallLot } from '../../api/lots/recall-lot.ts';
import { recallProgress } from '../../api/lots/recall-progress.ts';
import { traceLot } from '../../api/lots/trace-lot.ts';
import { listMovements } from '../../api/stock/list-movements.ts';
import { drivers, openTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { buildHospital, contextFor, type Hospital } from '../helpers/fixture.ts';
import { spreadLot } from '../helpers/lot-spread.ts';

/** One rule for reads that span locations: full rows where the reader may read, totals elsewhere. */
describe.each(drivers)('lot reads follow one scope rule on %s', (driver) => {
  let t: TestDatabase;
  let h: Hospital;
  let lotId: string;
  beforeAll(async () => {
    t = await openTestDatabase(driver);
    h = await buildHospital(t.db);
    lotId = (await spreadLot(t.db, h)).lot.id;
  });
  afterAll(() => t?.close());

  const as = (actor: Actor) => contextFor(t.db, actor);
  const hop = (m: { kind: string; quantity: number }, from: string | null, to: string | null) =>
    `${m.kind} ${m.quantity} ${from ?? '—'}→${to ?? '—'}`;

  it('a ward nurse: full rows for her ward (and the warehouse that supplies it), the other ward only as totals', async () => {
    const nurse = as(h.actors.nurse);
    const trace = await traceLot({ ctx: nurse, input: { lotId } });
    expect(trace.detail).toBe('own');
    expect(trace.timeline.map((m) => hop(m, m.from?.code ?? null, m.to?.code ?? null))).toEqual([
      'receipt 100 —→MAG',
      'issue 30 MAG→CARD-MR',
      'issue 20 MAG→CHIR',
      'transfer 10 CARD-MR→CARD-ARM1',
      'consumption 4 CARD-ARM1→—',
    ]);
    expect(
      trace.holders.map((x) => [
        x.location.code,
        x.detail,
        x.received,
        x.sent,
        x.consumed,
        x.onHand,
        x.firstAt === null,
      ]),
    ).toEqual([
      ['MAG', 'full', 100, 50, 0, 50, false],
      ['CARD-MR', 'full', 30, 10, 0, 20, false],
      ['CHIR', 'totals', 20, 8, 0, 12, true],
      ['CARD-ARM1', 'full', 10, 4, 4, 6, false],
      ['CHIR-ARM1', 'totals', 8, 5, 5, 3, true],
    ]);
    // Organisation-wide sums stay whole: the same as the admin's.
    expect(trace.totals).toEqual((await traceLot({ ctx: as(h.actors.admin), input: { lotId } })).totals);
    expect(trace.totals).toEqual({ received: 100, onHand: 91, consumed: 9, sold: 0, adjusted: 0, holdersWithStock: 5 });

    const history = await lotHistory({ ctx: nurse, input: { lotId } });
    expect(history.detail).toBe('own');
    expect(history.data.map((m) => m.id)).toEqual(trace.timeline.map((m) => m.id));
    expect(history.data.map((m) => m.actorId)).not.toContain(h.actors.otherNurse.userId);
    expect(
      history.others.map((x) => [x.location.code, x.detail, x.received, x.consumed, x.onHand, x.firstAt, x.lastAt]),
    ).toEqual([
      ['CHIR', 'totals', 20, 0, 12, null, null],
      ['CHIR-ARM1', 'totals', 8, 5, 3, null, null],
    ]);
    expect(JSON.stringify(history)).not.toContain(h.actors.otherNurse.userId!);
  });

  it('agrees with GET /v1/movements: every row she gets is one she may list at a location, none at the other ward', async () => {
    const nurse = as(h.actors.nurse);
    const history = await lotHistory({ ctx: nurse, input: { lotId } });
    const listed = new Set<number>();
    for (const locationId of [h.warehouse.id, h.cardioStore.id, h.cabinet.id]) {
      for (const m of (await listMovements({ ctx: nurse, input: { locationId, lotId } })).data) listed.add(m.id);
    }
    expect([...listed].sort((a, b) => a - b)).toEqual(history.data.map((m) => m.id));
    await expect(listMovements({ ctx: nurse, input: { locationId: h.surgery.id, lotId } })).rejects.toMatchObject({
      code: 'forbidden',
    });
  });

  it("the other ward's nurse gets the mirror image", async () => {
    const trace = await traceLot({ ctx: as(h.actors.otherNurse), input: { lotId } });
    expect(trace.timeline.map((m) => hop(m, m.from?.code ?? null, m.to?.code ?? null))).toEqual([
      'receipt 100 —→MAG',
      'issue 30 MAG→CARD-MR',
      'issue 20 MAG→CHIR',
      'transfer 8 CHIR→CHIR-ARM1',
      'consumption 5 CHIR-ARM1→—',
    ]);
    expect(trace.holders.filter((x) => x.detail === 'totals').map((x) => x.location.code)).toEqual([
      'CARD-MR',
      'CARD-ARM1',
    ]);
  });

  it('stores roles and the admin see every movement and every holder in full', async () => {
    for (const actor of [h.actors.admin, h.actors.warehouse, h.actors.pharmacist]) {
      const trace = await traceLot({ ctx: as(actor), input: { lotId } });
      expect(trace.detail).toBe('all');
      expect(trace.timeline).toHaveLength(7);
      expect(trace.holders.every((x) => x.detail === 'full' && x.firstAt !== null)).toBe(true);
      const history = await lotHistory({ ctx: as(actor), input: { lotId } });
      expect(history.data).toHaveLength(7);
      expect(history.others).toEqual([]);
    }
  });

  it("pages the nurse's history over her rows only", async () => {
    const nurse = as(h.actors.nurse);
    const first = await lotHistory({ ctx: nurse, input: { lotId, limit: 3 } });
    const second = await lotHistory({ ctx: nurse, input: { lotId, limit: 3, cursor: first.nextCursor! } });
    expect(second.nextCursor).toBeNull();
    expect([...first.data, ...second.data].map((m) => m.id)).toEqual(
      (await lotHistory({ ctx: nurse, input: { lotId } })).data.map((m) => m.id),
    );
  });

  it('FHIR: stock on hand per holder for everyone, deliveries only where the reader may read', async () => {
    const deliveries = (bundle: any) =>
      bundle.entry
        .map((e: any) => e.resource)
        .filter((r: any) => r.resourceType === 'SupplyDelivery')
        .map((r: any) => r.id);
    const listings = (bundle: any) =>
      bundle.entry
        .map((e: any) => e.resource)
        .find((r: any) => r.resourceType === 'InventoryReport')
        .inventoryListing.map((l: any) => [l.location.display, l.item[0].quantity.value]);
    const nurse = await exportLotFhir({ ctx: as(h.actors.nurse), input: { lotId } });
    const admin = await exportLotFhir({ ctx: as(h.actors.admin), input: { lotId } });
    const trace = await traceLot({ ctx: as(h.actors.nurse), input: { lotId } });
    const shown = trace.timeline
      .filter((m) => m.kind === 'issue' || m.kind === 'transfer')
      .map((m) => `movement-${m.id}`);
    expect(deliveries(nurse)).toEqual(shown);
    expect(deliveries(admin)).toHaveLength(shown.length + 1);
    expect(listings(nurse)).toEqual(listings(admin));
    expect(listings(nurse)).toHaveLength(5);
  });

  it('recall progress: the same holders and totals for everyone, each marked by what the reader may open', async () => {
    const recall = await recallLot({ ctx: as(h.actors.warehouse), input: { lotId, reason: 'Difetto di tenuta' } });
    const nurse = await recallProgress({ ctx: as(h.actors.nurse), input: { recallId: recall.recall.id } });
    const warehouse = await recallProgress({ ctx: as(h.actors.warehouse), input: { recallId: recall.recall.id } });
    expect(nurse.totals).toEqual(warehouse.totals);
    expect(nurse.holders.map((x) => [x.location.code, x.detail, x.stillOut])).toEqual([
      ['MAG', 'full', 0],
      ['CARD-MR', 'full', 20],
      ['CHIR', 'totals', 12],
      ['CARD-ARM1', 'full', 6],
      ['CHIR-ARM1', 'totals', 3],
    ]);
    expect(warehouse.holders.every((x) => x.detail === 'full')).toBe(true);
  });
});
