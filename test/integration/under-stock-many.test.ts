import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, desc, eq } from 'drizzle-orm';
import { withTransaction } from '../../api/core/context.ts';
import { checkUnderStock, checkUnderStockMany, type UnderStockOutcome } from '../../api/replenishment/under-stock.ts';
import { recordConsumption } from '../../api/stock/record-consumption.ts';
import { reverseMovement } from '../../api/stock/reverse-movement.ts';
import { dailyConsumption } from '../../api/replenishment/demand-history.ts';
import { items, locations, movements, notifications, requestLines, wardRequests } from '../../db/schema/index.ts';
import { drivers, openTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { buildHospital, today, type Hospital } from '../helpers/fixture.ts';
import { receiveAtWarehouse, issueBetween } from '../helpers/stock-moves.ts';

const day = 86_400_000;

/** A cabinet and a home with three weeks of use and little left: both are at or below their reorder level. */
async function lowStock(t: TestDatabase) {
  const h = await buildHospital(t.db);
  await receiveAtWarehouse(h, [
    { itemId: h.gloves.id, lotCode: 'G1', expiry: '2029-01-31', quantity: 2000 },
    { itemId: h.syringe.id, lotCode: 'S1', expiry: '2029-01-31', quantity: 500 },
  ]);
  await issueBetween(h.sys, h.warehouse.id, h.cabinet.id, [
    { itemId: h.gloves.id, quantity: 650 },
    { itemId: h.syringe.id, quantity: 70 },
  ]);
  await issueBetween(h.sys, h.warehouse.id, h.home.id, [{ itemId: h.syringe.id, quantity: 45 }]);
  for (let d = 21; d >= 1; d--) {
    const occurredAt = new Date(today.getTime() - d * day).toISOString();
    await recordConsumption({
      ctx: h.sys,
      input: {
        locationId: h.cabinet.id,
        lines: [
          { itemId: h.gloves.id, quantity: 30 },
          { itemId: h.syringe.id, quantity: 3 },
        ],
        occurredAt,
      },
    });
    await recordConsumption({
      ctx: h.sys,
      input: { locationId: h.home.id, lines: [{ itemId: h.syringe.id, quantity: 2 }], occurredAt },
    });
  }
  return h;
}

const targets = (h: Hospital) => [
  { location: h.cardio, itemIds: [h.gloves.id], trigger: { kind: 'test' } }, // the ward, above the cabinet: checked after it
  { location: h.cabinet, itemIds: [h.gloves.id, h.syringe.id], trigger: { kind: 'test' } },
  { location: h.home, itemIds: [h.syringe.id], trigger: { kind: 'test' } },
];

/** What staff see: the open automatic requests (where to, what, how many, how urgent) and the ward notices. */
async function openRequests(t: TestDatabase) {
  const open = await t.db
    .select({
      to: locations.code,
      item: items.code,
      quantity: requestLines.quantityRequested,
      urgency: wardRequests.urgency,
      number: wardRequests.number,
      autoKey: wardRequests.autoKey,
    })
    .from(wardRequests)
    .innerJoin(requestLines, eq(requestLines.requestId, wardRequests.id))
    .innerJoin(items, eq(items.id, requestLines.itemId))
    .innerJoin(locations, eq(locations.id, wardRequests.destinationId))
    .orderBy(asc(wardRequests.number));
  const notices = await t.db
    .select({ kind: notifications.kind, payload: notifications.payload })
    .from(notifications)
    .where(eq(notifications.kind, 'under_stock'));
  return { open, notices };
}

/** Outcomes as staff would compare them: by item code (ids differ between the two databases), without request ids. */
const shape = (h: Hospital, outcomes: UnderStockOutcome[]) =>
  outcomes
    .map((o) => ({
      item: o.itemId === h.gloves.id ? 'gloves' : 'syringe',
      action: o.action,
      urgency: o.urgency,
      quantity: o.quantity,
      reason: o.reason,
    }))
    .sort((x, y) => x.item.localeCompare(y.item));

describe.each(drivers)('the reorder check for many locations at once (%s)', (driver) => {
  let one: TestDatabase;
  let many: TestDatabase;
  let a: Hospital;
  let b: Hospital;
  let sequential: UnderStockOutcome[][];
  let together: UnderStockOutcome[][];

  beforeAll(async () => {
    [one, many] = await Promise.all([openTestDatabase(driver), openTestDatabase(driver)]);
    [a, b] = await Promise.all([lowStock(one), lowStock(many)]);
    // One location at a time, in the order a careful person would take them: cabinet, home, then the ward above the
    // cabinet.
    const [ward, cabinet, home] = targets(a);
    const byOne = [];
    for (const t of [cabinet!, home!, ward!])
      byOne.push(await withTransaction(a.sys, (tx) => checkUnderStock(tx, t.location, t.itemIds, t.trigger)));
    sequential = [byOne[2]!, byOne[0]!, byOne[1]!];
    together = await withTransaction(b.sys, (tx) => checkUnderStockMany(tx, targets(b)));
  });
  afterAll(async () => {
    await one?.close();
    await many?.close();
  });

  it('decides every location × item as checking them one by one does', () => {
    const [x, y] = [sequential.map((o) => shape(a, o)), together.map((o) => shape(b, o))];
    expect(y).toEqual(x);
    expect(y[1]!.map((o) => o.action)).toEqual(['emitted', 'emitted']); // the cabinet's gloves and syringes
    expect(y[2]!.map((o) => o.action)).toEqual(['emitted']); // the home's syringes
    // The ward counts the gloves its cabinet has just asked for: on order, so nothing more for the ward.
    expect(y[0]![0]!.action).toBe('none');
    expect(y[1]![0]!.reason).toMatchObject({ onHand: 20, onOrder: 0, L: 2 });
  });

  it('emits the same requests, numbered in sequence, each with its ward notice', async () => {
    const [x, y] = [await openRequests(one), await openRequests(many)];
    const strip = (r: (typeof x.open)[number]) => ({
      to: r.to,
      item: r.item,
      quantity: r.quantity,
      urgency: r.urgency,
    });
    const byPlace = (list: ReturnType<typeof strip>[]) =>
      list.sort((p, q) => `${p.to}${p.item}`.localeCompare(`${q.to}${q.item}`));
    expect(byPlace(y.open.map(strip))).toEqual(byPlace(x.open.map(strip)));
    expect(byPlace(y.open.map(strip)).map((r) => `${r.to} ${r.item}`)).toEqual([
      'CARD-ARM1 DM-GUA-M',
      'CARD-ARM1 DM-SIR-10',
      'DOM-P001 DM-SIR-10',
    ]);
    expect(y.open.map((r) => r.number)).toEqual(['RIC-2026-000001', 'RIC-2026-000002', 'RIC-2026-000003']);
    expect(new Set(y.open.map((r) => r.autoKey))).toEqual(
      new Set([`${b.cabinet.id}|${b.gloves.id}`, `${b.cabinet.id}|${b.syringe.id}`, `${b.home.id}|${b.syringe.id}`]),
    );
    expect(y.notices.map((n) => (n.payload as { number: string }).number).sort()).toEqual(y.open.map((r) => r.number));
    expect(
      together
        .flat()
        .filter((o) => o.action === 'emitted')
        .map((o) => o.number),
    ).toEqual(y.open.map((r) => r.number));
  });

  it('keeps one open request per location × item when checked again', async () => {
    const again = await withTransaction(b.sys, (tx) => checkUnderStockMany(tx, targets(b)));
    expect(again.map((o) => shape(b, o).map((x) => x.action))).toEqual([
      ['none'],
      ['unchanged', 'unchanged'],
      ['unchanged'],
    ]);
    expect((await openRequests(many)).open).toHaveLength(3);
  });

  it('does not count a reversed consumption as demand', async () => {
    const before = (await dailyConsumption(a.sys, a.home.id, 56, [a.syringe.id])).get(a.syringe.id)!;
    const [last] = await one.db
      .select({ id: movements.id })
      .from(movements)
      .where(and(eq(movements.kind, 'consumption'), eq(movements.fromLocationId, a.home.id)))
      .orderBy(desc(movements.id))
      .limit(1);
    await reverseMovement({ ctx: a.sys, input: { movementId: last!.id, reason: 'booked twice' } });
    const after = (await dailyConsumption(a.sys, a.home.id, 56, [a.syringe.id])).get(a.syringe.id)!;
    expect(before.reduce((x, y) => x + y, 0)).toBe(42);
    expect(after.reduce((x, y) => x + y, 0)).toBe(40);
    expect(after.at(-2)).toBe(0); // yesterday's 2 syringes were the reversed booking
  });
});
