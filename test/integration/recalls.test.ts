import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerDevice } from '../../api/devices/register-device.ts';
import { withTransaction, type Actor } from '../../api/core/context.ts';
import { closeRecall } from '../../api/lots/close-recall.ts';
import { confirmReturn } from '../../api/lots/confirm-return.ts';
import { liftQuarantine } from '../../api/lots/lift-quarantine.ts';
import {
  listNotifications,
  markNotifications,
  pendingNotifications,
} from '../../api/notifications/notification-outbox.ts';
import { quarantineLot } from '../../api/lots/quarantine-lot.ts';
import { recallLot } from '../../api/lots/recall-lot.ts';
import { recallProgress } from '../../api/lots/recall-progress.ts';
import { scanCode } from '../../api/lots/scan-code.ts';
import { traceLot } from '../../api/lots/trace-lot.ts';
import { expiringStock } from '../../api/lots/expiring-stock.ts';
import { lotsUsed } from '../../api/lots/lots-used.ts';
import { sweepExpiredLots } from '../../api/lots/sweep-expired-lots.ts';
import { consumptionCost } from '../../api/reports/consumption-cost.ts';
import { yearValuation } from '../../api/reports/year-valuation.ts';
import { issueStock, transferStock } from '../../api/stock/issue-stock.ts';
import { moveStock } from '../../api/stock/move-stock.ts';
import { receiveGoods } from '../../api/stock/receive-goods.ts';
import { recordConsumption } from '../../api/stock/record-consumption.ts';
import { auditLog, lotRecalls, notifications } from '../../db/schema/index.ts';
import { drivers, openTestDatabase, postgresUrl, type TestDatabase } from '../helpers/database.ts';
import { buildHospital, contextFor, type Hospital } from '../helpers/fixture.ts';
import { balanceOf, failsWith, failsWithoutTrace, ledgerMismatches, lotByCode } from '../helpers/ledger.ts';

/** Stock moves by the admin of `h()`: receipts at the warehouse (no supplier), issues and transfers. */
function adminMoves(t: () => TestDatabase, h: () => Hospital) {
  const ctx = () => contextFor(t().db, h().actors.admin);
  return {
    receive: (lines: unknown) => receiveGoods({ ctx: ctx(), input: { locationId: h().warehouse.id, lines } }),
    issue: (fromLocationId: string, toLocationId: string, lines: unknown) =>
      issueStock({ ctx: ctx(), input: { fromLocationId, toLocationId, lines } }),
    transfer: (fromLocationId: string, toLocationId: string, lines: unknown) =>
      transferStock({ ctx: ctx(), input: { fromLocationId, toLocationId, lines } }),
  };
}

describe.each(drivers)('lot recalls on %s', (driver) => {
  let t: TestDatabase;
  let h: Hospital;
  let lotId: string;
  let recallId: string;
  beforeAll(async () => {
    t = await openTestDatabase(driver);
    h = await buildHospital(t.db);
  });
  afterAll(() => t.close());

  const as = (actor: Actor) => contextFor(t.db, actor);
  const line = (quantity: number, id = lotId) => [{ itemId: h.gloves.id, lotId: id, quantity }];
  const holder = (trace: { holders: { location: { code: string } }[] }, code: string) =>
    trace.holders.find((x) => x.location.code === code) as any;
  const { receive, issue, transfer } = adminMoves(
    () => t,
    () => h,
  );

  it('traces a lot received, split across wards, partly consumed and partly sold, exactly', async () => {
    const admin = as(h.actors.admin);
    await receiveGoods({
      ctx: admin,
      input: {
        locationId: h.warehouse.id,
        supplierId: h.supplier.id,
        documentType: 'ddt',
        documentId: 'F-1',
        lines: [{ itemId: h.gloves.id, lotCode: 'REC-1', expiry: '2027-12-31', quantity: 100, unitPrice: 0.5 }],
      },
    });
    lotId = (await lotByCode(t.db, h.gloves.id, 'REC-1')).id;
    await issue(h.warehouse.id, h.cardioStore.id, line(30));
    await issue(h.warehouse.id, h.surgery.id, line(20));
    await issue(h.warehouse.id, h.homeCare.id, line(10));
    await transfer(h.cardioStore.id, h.cabinet.id, line(10));
    await transfer(h.homeCare.id, h.home.id, line(10));
    await recordConsumption({ ctx: as(h.actors.nurse), input: { locationId: h.cabinet.id, lines: line(4) } });
    await recordConsumption({ ctx: as(h.actors.otherNurse), input: { locationId: h.surgery.id, lines: line(5) } });
    await recordConsumption({ ctx: as(h.actors.homeCare), input: { locationId: h.home.id, lines: line(3) } });
    // A sale to another organisation (the exchange flow's issue of type sale, with its DDT).
    await withTransaction(admin, (tx) =>
      moveStock(tx, {
        kind: 'sale',
        fromLocationId: h.warehouse.id,
        toLocationId: null,
        lines: line(15),
        requireUsable: true,
        documentType: 'ddt',
        documentId: 'DDT-9',
      }),
    );

    const trace = await traceLot({ ctx: as(h.actors.warehouse), input: { lotId } });
    expect(trace.totals).toEqual({
      received: 100,
      onHand: 73,
      consumed: 12,
      sold: 15,
      adjusted: 0,
      holdersWithStock: 5,
    });
    expect(trace.supplier?.code).toBe('SUP1');
    expect(trace.timeline).toHaveLength(10);
    expect(trace.timeline[0]).toMatchObject({
      kind: 'receipt',
      quantity: 100,
      from: null,
      documentType: 'ddt',
      documentId: 'F-1',
    });
    const pick = (code: string) => {
      const x = holder(trace, code);
      return [x.received, x.sent, x.consumed, x.sold, x.onHand];
    };
    expect(pick('MAG')).toEqual([100, 75, 0, 15, 25]);
    expect(pick('CARD-MR')).toEqual([30, 10, 0, 0, 20]);
    expect(pick('CARD-ARM1')).toEqual([10, 4, 4, 0, 6]);
    expect(pick('CHIR')).toEqual([20, 5, 5, 0, 15]);
    expect(pick('ADI')).toEqual([10, 10, 0, 0, 0]);
    expect(pick('DOM-P001')).toEqual([10, 3, 3, 0, 7]);
    expect(await ledgerMismatches(t.db)).toEqual([]);
  });

  it('refuses a recall from a nurse, and writes nothing', async () => {
    await failsWithoutTrace(t.db, () => recallLot({ ctx: as(h.actors.nurse), input: { lotId, reason: 'x' } }), {
      code: 'forbidden',
    });
  });

  it('recalls the lot: record, audit, notifications for holding wards, dashboards and the cabinet', async () => {
    await registerDevice({
      ctx: h.sys,
      input: { code: 'ARM-REC-1', kind: 'smart_cabinet', name: 'Armadio', locationId: h.cabinet.id },
    });
    const input = {
      lotId,
      reason: 'Difetto di tenuta segnalato dal fornitore',
      reference: 'FSN-2026-17',
      idempotencyKey: 'recall-rec-1',
    };
    const result = await recallLot({ ctx: as(h.actors.warehouse), input });
    recallId = result.recall.id;
    expect(result).toMatchObject({
      lot: { status: 'recalled' },
      recall: { kind: 'recall', status: 'open', reference: 'FSN-2026-17' },
      notified: { dashboard: 5, chat: 4, devices: 1 },
      replayed: false,
    });
    const again = await recallLot({ ctx: as(h.actors.warehouse), input });
    expect(again).toMatchObject({ replayed: true, recall: { id: recallId } });
    expect(
      await t.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, 'lots.recall'), eq(auditLog.entityId, lotId))),
    ).toHaveLength(1);
    await failsWith(recallLot({ ctx: as(h.actors.warehouse), input: { lotId, reason: 'twice' } }), {
      code: 'conflict',
      key: 'lot_already_in_status',
    });

    const sys = h.sys;
    const chat = await pendingNotifications({ ctx: sys, input: { target: 'chat' } });
    expect(chat.map((n) => n.locationCode).sort()).toEqual(['ADI', 'CARD', 'CHIR', 'MAG']);
    expect(chat.find((n) => n.locationCode === 'CARD')!.payload.holders).toEqual([
      { code: 'CARD-MR', name: 'Magazzino Cardiologia', onHand: 20 },
      { code: 'CARD-ARM1', name: 'Armadio Cardiologia', onHand: 6 },
    ]);
    const [command] = await pendingNotifications({ ctx: sys, input: { target: 'device' } });
    expect(command).toMatchObject({
      topic: 'scorta/devices/ARM-REC-1/commands',
      payload: { command: 'lock_bins', lotId, lotCode: 'REC-1', recallId },
    });
    expect(await markNotifications({ ctx: sys, input: { ids: [command!.id] } })).toEqual({ updated: 1 });
    expect(await pendingNotifications({ ctx: sys, input: { target: 'device' } })).toEqual([]);
    const board = await listNotifications({ ctx: as(h.actors.nurse), input: { open: true } });
    expect(board.data.map((n) => n.locationCode).sort()).toEqual(['CARD-ARM1', 'CARD-MR']);
  });

  it('shows the progress right after the recall', async () => {
    const p = await recallProgress({ ctx: as(h.actors.warehouse), input: { recallId } });
    expect(p.totals).toEqual({
      outAtRecall: 48,
      atStoreAtRecall: 25,
      consumedBefore: 12,
      soldBefore: 15,
      returned: 0,
      consumedSince: 0,
      stillOut: 48,
      holdersOut: 4,
    });
    expect(p.returnsTo?.code).toBe('MAG');
    expect(p.closable).toBe(false);
  });

  it('after the recall every path that could use the lot refuses it or skips it', async () => {
    const admin = as(h.actors.admin);
    const refused = { code: 'precondition_failed' as const, key: 'lot_unavailable' as const };
    await failsWithoutTrace(t.db, () => issue(h.warehouse.id, h.cardioStore.id, line(1)), refused);
    await failsWithoutTrace(t.db, () => transfer(h.cardioStore.id, h.cabinet.id, line(1)), refused);
    await failsWithoutTrace(
      t.db,
      () => recordConsumption({ ctx: as(h.actors.nurse), input: { locationId: h.cabinet.id, lines: line(1) } }),
      refused,
    );
    await failsWithoutTrace(
      t.db,
      () =>
        recordConsumption({
          ctx: as(h.actors.device),
          input: { locationId: h.cabinet.id, lines: [{ itemId: h.gloves.id, quantity: 1 }] },
        }),
      { code: 'conflict', key: 'insufficient_stock' },
    );
    await failsWithoutTrace(t.db, () => issue(h.warehouse.id, h.surgery.id, [{ itemId: h.gloves.id, quantity: 1 }]), {
      code: 'conflict',
      key: 'insufficient_stock',
    });
    await failsWithoutTrace(
      t.db,
      () =>
        withTransaction(admin, (tx) =>
          moveStock(tx, {
            kind: 'sale',
            fromLocationId: h.warehouse.id,
            toLocationId: null,
            lines: line(1),
            requireUsable: true,
          }),
        ),
      refused,
    );
    await failsWithoutTrace(
      t.db,
      () => receive([{ itemId: h.gloves.id, lotCode: 'REC-1', expiry: '2027-12-31', quantity: 5 }]),
      refused,
    );
    // FEFO picks another, usable lot of the item instead.
    await receive([{ itemId: h.gloves.id, lotCode: 'OK-2', expiry: '2028-01-31', quantity: 5 }]);
    const picked = await issue(h.warehouse.id, h.surgery.id, [{ itemId: h.gloves.id, quantity: 2 }]);
    expect(picked.movements.map((m) => m.lotId)).not.toContain(lotId);
    // A scan of the pack is flagged.
    const scan = await scanCode({
      ctx: as(h.actors.nurse),
      input: { code: '(01)08012345000012(17)271231(10)REC-1', locationId: h.cabinet.id },
    });
    expect(scan).toMatchObject({
      flagged: true,
      usable: false,
      onHand: 6,
      lot: { lotCode: 'REC-1', status: 'recalled', recallId },
    });
    expect(scan.flags.map((f) => f.flag)).toEqual(['recalled']);
  });

  it('takes returns as holders confirm, refuses strangers and early closing, then closes', async () => {
    await failsWithoutTrace(
      t.db,
      () => confirmReturn({ ctx: as(h.actors.otherNurse), input: { recallId, locationId: h.cabinet.id } }),
      { code: 'forbidden' },
    );
    await failsWithoutTrace(
      t.db,
      () => confirmReturn({ ctx: as(h.actors.warehouse), input: { recallId, locationId: h.warehouse.id } }),
      { code: 'validation', key: 'recall_destination' },
    );
    const first = await confirmReturn({
      ctx: as(h.actors.nurse),
      input: { recallId, locationId: h.cabinet.id, idempotencyKey: 'ret-cab' },
    });
    expect(first.movements).toMatchObject([
      { kind: 'return', quantity: 6, documentType: 'recall', documentId: recallId },
    ]);
    expect(
      (
        await confirmReturn({
          ctx: as(h.actors.nurse),
          input: { recallId, locationId: h.cabinet.id, idempotencyKey: 'ret-cab' },
        })
      ).replayed,
    ).toBe(true);
    await confirmReturn({ ctx: as(h.actors.otherNurse), input: { recallId, locationId: h.surgery.id } });
    const refused = await failsWith(closeRecall({ ctx: as(h.actors.warehouse), input: { recallId } }), {
      code: 'precondition_failed',
      key: 'recall_still_out',
    });
    expect(refused.context.stillOut).toEqual([
      { locationId: h.cardioStore.id, code: 'CARD-MR', quantity: 20 },
      { locationId: h.home.id, code: 'DOM-P001', quantity: 7 },
    ]);
    await failsWith(confirmReturn({ ctx: as(h.actors.nurse), input: { recallId, locationId: h.cabinet.id } }), {
      code: 'precondition_failed',
      key: 'nothing_to_return',
    });
    await confirmReturn({ ctx: as(h.actors.nurse), input: { recallId, locationId: h.cardioStore.id, quantity: 12 } });
    const mid = await recallProgress({ ctx: as(h.actors.warehouse), input: { recallId } });
    expect(mid.totals).toMatchObject({ returned: 33, stillOut: 15, consumedBefore: 12 });
    expect(mid.holders.find((x) => x.location.code === 'CARD-MR')).toMatchObject({
      atRecall: 20,
      returned: 12,
      stillOut: 8,
    });
    await confirmReturn({ ctx: as(h.actors.nurse), input: { recallId, locationId: h.cardioStore.id } });
    await confirmReturn({ ctx: as(h.actors.homeCare), input: { recallId, locationId: h.home.id } });
    const done = await recallProgress({ ctx: as(h.actors.warehouse), input: { recallId } });
    expect(done.totals).toEqual({
      outAtRecall: 48,
      atStoreAtRecall: 25,
      consumedBefore: 12,
      soldBefore: 15,
      returned: 48,
      consumedSince: 0,
      stillOut: 0,
      holdersOut: 0,
    });
    expect(await balanceOf(t.db, h.warehouse.id, lotId)).toBe(73);
    const closed = await closeRecall({ ctx: as(h.actors.warehouse), input: { recallId, note: 'Tutto rientrato' } });
    expect(closed.recall).toMatchObject({ status: 'closed', closeNote: 'Tutto rientrato' });
    await failsWith(closeRecall({ ctx: as(h.actors.warehouse), input: { recallId } }), {
      code: 'conflict',
      key: 'invalid_transition',
    });
    expect((await traceLot({ ctx: as(h.actors.admin), input: { lotId } })).lot.status).toBe('recalled');
    expect(await ledgerMismatches(t.db)).toEqual([]);
  });

  it('quarantines and lifts a lot, audited; a quarantine escalated to a recall closes its record', async () => {
    await receive([
      { itemId: h.syringe.id, lotCode: 'Q-1', expiry: '2027-06-30', quantity: 10 },
      { itemId: h.syringe.id, lotCode: 'Q-2', expiry: '2027-06-30', quantity: 10 },
    ]);
    const q1 = (await lotByCode(t.db, h.syringe.id, 'Q-1')).id;
    const q2 = (await lotByCode(t.db, h.syringe.id, 'Q-2')).id;
    const take = (id: string) =>
      issue(h.warehouse.id, h.surgery.id, [{ itemId: h.syringe.id, lotId: id, quantity: 1 }]);
    await quarantineLot({ ctx: as(h.actors.warehouse), input: { lotId: q1, reason: 'Confezioni danneggiate' } });
    await failsWithoutTrace(t.db, () => take(q1), { code: 'precondition_failed', key: 'lot_unavailable' });
    await failsWithoutTrace(
      t.db,
      () => liftQuarantine({ ctx: as(h.actors.nurse), input: { lotId: q1, reason: 'x' } }),
      { code: 'forbidden' },
    );
    const lifted = await liftQuarantine({
      ctx: as(h.actors.warehouse),
      input: { lotId: q1, reason: 'Verifica superata' },
    });
    expect(lifted).toMatchObject({
      lot: { status: 'available' },
      recall: { kind: 'quarantine', status: 'lifted', closeNote: 'Verifica superata' },
    });
    const [entry] = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'lots.lift'), eq(auditLog.entityId, q1)));
    expect(entry).toMatchObject({
      actorId: h.actors.warehouse.userId,
      detail: { from: 'quarantined', to: 'available', reason: 'Verifica superata' },
    });
    await take(q1);
    await failsWith(liftQuarantine({ ctx: as(h.actors.warehouse), input: { lotId: q1, reason: 'again' } }), {
      code: 'conflict',
      key: 'lot_not_quarantined',
    });

    await quarantineLot({ ctx: as(h.actors.warehouse), input: { lotId: q2, reason: 'Sospetta contaminazione' } });
    const escalated = await recallLot({
      ctx: as(h.actors.warehouse),
      input: { lotId: q2, reason: 'Contaminazione confermata', reference: 'AIFA-1' },
    });
    expect(escalated).toMatchObject({
      lot: { status: 'recalled' },
      recall: { kind: 'recall', status: 'open' },
      closedRecall: { kind: 'quarantine', status: 'escalated' },
    });
    await failsWith(liftQuarantine({ ctx: as(h.actors.warehouse), input: { lotId: q2, reason: 'no' } }), {
      code: 'conflict',
      key: 'lot_recall_final',
    });
    const records = await t.db.select().from(lotRecalls).where(eq(lotRecalls.lotId, q2));
    expect(records.map((r) => r.status).sort()).toEqual(['escalated', 'open']);
    // Nothing out but the warehouse: closable at once.
    expect(
      (await closeRecall({ ctx: as(h.actors.warehouse), input: { recallId: escalated.recall.id } })).recall.status,
    ).toBe('closed');
    expect(
      (await t.db.select().from(notifications).where(eq(notifications.kind, 'quarantine_lifted'))).length,
    ).toBeGreaterThan(0);
  });

  it('answers the backward trace: which lots a ward used in a period', async () => {
    const used = await lotsUsed({
      ctx: as(h.actors.nurse),
      input: { locationId: h.cardio.id, from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z' },
    });
    expect(used.data).toMatchObject([
      { lot: { lotCode: 'REC-1', status: 'recalled' }, location: { code: 'CARD-ARM1' }, quantity: 4 },
    ]);
    await failsWith(
      lotsUsed({
        ctx: as(h.actors.otherNurse),
        input: { locationId: h.cardio.id, from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z' },
      }),
      { code: 'forbidden' },
    );
  });

  it('values consumption by ward and the year by warehouse at lot prices', async () => {
    const cost = await consumptionCost({ ctx: as(h.actors.admin), input: { from: '2026-11-01', to: '2026-12-01' } });
    expect(cost.wards.map((w) => [w.ward.code, w.quantity, w.cost])).toEqual([
      ['ADI', 3, 1.5],
      ['CARD', 4, 2],
      ['CHIR', 5, 2.5],
    ]);
    expect(cost.total).toBe(6);
    const cardio = await consumptionCost({
      ctx: as(h.actors.admin),
      input: { locationId: h.cardio.id, from: '2026-11-01', to: '2026-12-01' },
    });
    expect(cardio.total).toBe(2);
    await failsWith(consumptionCost({ ctx: as(h.actors.nurse), input: { from: '2026-11-01', to: '2026-12-01' } }), {
      code: 'forbidden',
    });
    const year = await yearValuation({ ctx: as(h.actors.admin), input: { year: 2026 } });
    const mag = year.warehouses.find((w) => w.warehouse.code === 'MAG')!;
    expect(mag.opening).toEqual({ quantity: 0, value: 0 });
    const kind = (k: string) => mag.byKind.find((x) => x.kind === k);
    expect(kind('return')).toEqual({ kind: 'return', in: { quantity: 48, value: 24 }, out: { quantity: 0, value: 0 } });
    expect(kind('sale')!.out).toEqual({ quantity: 15, value: 7.5 });
    expect(kind('issue')!.out.value).toBe(30);
    // Only REC-1 has a price: 73 units of it are back at the warehouse.
    expect(mag.closing.value).toBe(36.5);
    expect((await yearValuation({ ctx: as(h.actors.admin), input: { year: 2025 } })).warehouses).toEqual([]);
  });

  it('lists short-dated stock, proposes moving it to faster users, and sweeps expired lots', async () => {
    const admin = as(h.actors.admin);
    await receive([
      { itemId: h.syringe.id, lotCode: 'EXP-OLD', expiry: '2026-11-10', quantity: 3, unitPrice: 1 },
      { itemId: h.syringe.id, lotCode: 'SHORT', expiry: '2026-12-03', quantity: 60, unitPrice: 1 },
    ]);
    const short = (await lotByCode(t.db, h.syringe.id, 'SHORT')).id;
    const move = (to: string, quantity: number) =>
      issue(h.warehouse.id, to, [{ itemId: h.syringe.id, lotId: short, quantity }]);
    await move(h.cardioStore.id, 30);
    await move(h.surgery.id, 25);
    await recordConsumption({
      ctx: admin,
      input: {
        locationId: h.surgery.id,
        occurredAt: '2026-11-13T10:00:00Z',
        lines: [{ itemId: h.syringe.id, lotId: short, quantity: 15 }],
      },
    });
    const list = await expiringStock({
      ctx: as(h.actors.warehouse),
      input: { locationId: h.warehouse.id, withinDays: 15 },
    });
    expect(list.data.map((r) => [r.lot.lotCode, r.quantity, r.daysLeft, r.lot.status])).toEqual([
      ['EXP-OLD', 3, -13, 'expired'],
      ['SHORT', 5, 10, 'available'],
    ]);
    const all = await expiringStock({ ctx: admin, input: { withinDays: 15 } });
    // Surgery uses 15 / 30 = 0.5 a day: 5 in the 10 days left, and it still holds 10 of its own; the cardiology
    // store uses none, so its 30 are surplus, offered to surgery up to what it can use.
    const fromCardio = all.proposals.filter((p) => p.fromLocationId === h.cardioStore.id);
    expect(fromCardio).toEqual([
      {
        lotId: short,
        itemId: h.syringe.id,
        fromLocationId: h.cardioStore.id,
        toLocationId: h.surgery.id,
        quantity: 5,
        surplus: 30,
        daysLeft: 10,
      },
    ]);
    const swept = await sweepExpiredLots({ ctx: as(h.actors.warehouse) });
    expect(swept.expired.map((l) => l.lotCode)).toEqual(['EXP-OLD']);
    expect((await sweepExpiredLots({ ctx: as(h.actors.warehouse) })).expired).toEqual([]);
  });
});

describe.skipIf(!postgresUrl)('concurrent recalls on postgres', () => {
  let t: TestDatabase;
  let h: Hospital;
  beforeAll(async () => {
    t = await openTestDatabase('postgres');
    h = await buildHospital(t.db);
  });
  afterAll(() => t.close());
  const { receive, issue } = adminMoves(
    () => t,
    () => h,
  );

  it('two people recalling or quarantining the same lot at once: one wins, the other gets a conflict', async () => {
    await receive([{ itemId: h.gloves.id, lotCode: 'RACE-1', quantity: 10 }]);
    const lot = await lotByCode(t.db, h.gloves.id, 'RACE-1');
    const results = await Promise.allSettled([
      recallLot({ ctx: contextFor(t.db, h.actors.warehouse), input: { lotId: lot.id, reason: 'a' } }),
      quarantineLot({ ctx: contextFor(t.db, h.actors.admin), input: { lotId: lot.id, reason: 'b' } }),
      recallLot({ ctx: contextFor(t.db, h.actors.admin), input: { lotId: lot.id, reason: 'c' } }),
    ]);
    const failures = results
      .filter((r) => r.status === 'rejected')
      .map((r) => (r as PromiseRejectedResult).reason.code);
    // Serialised by the conditional update: a recall after a quarantine may still succeed (escalation), never two
    // recalls.
    expect(
      await t.db
        .select()
        .from(lotRecalls)
        .where(and(eq(lotRecalls.lotId, lot.id), eq(lotRecalls.status, 'open'))),
    ).toHaveLength(1);
    expect(failures.every((code) => code === 'conflict')).toBe(true);
    expect(failures.length).toBeGreaterThanOrEqual(1);
  });

  it('a recall racing with people consuming the lot: no consumption lands after the recall', async () => {
    const admin = contextFor(t.db, h.actors.admin);
    await receive([{ itemId: h.syringe.id, lotCode: 'RACE-2', expiry: '2028-01-31', quantity: 200 }]);
    const lot = await lotByCode(t.db, h.syringe.id, 'RACE-2');
    await issue(h.warehouse.id, h.cardioStore.id, [{ itemId: h.syringe.id, lotId: lot.id, quantity: 100 }]);
    const nurse = contextFor(t.db, h.actors.nurse);
    const take = () =>
      recordConsumption({
        ctx: nurse,
        input: { locationId: h.cardioStore.id, lines: [{ itemId: h.syringe.id, lotId: lot.id, quantity: 1 }] },
      });
    const results = await Promise.allSettled([
      take(),
      take(),
      take(),
      take(),
      recallLot({ ctx: admin, input: { lotId: lot.id, reason: 'Richiamo del produttore' } }),
      take(),
      take(),
      take(),
      take(),
    ]);
    const recall = (results[4] as PromiseFulfilledResult<Awaited<ReturnType<typeof recallLot>>>).value;
    const refused = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.key);
    expect(refused.every((key) => key === 'lot_unavailable')).toBe(true); // refused because recalled, nothing else
    const progress = await recallProgress({ ctx: admin, input: { recallId: recall.recall.id } });
    expect(progress.totals.consumedSince).toBe(0); // every take either happened before the recall or was refused
    expect(await balanceOf(t.db, h.cardioStore.id, lot.id)).toBe(100 - (8 - refused.length));
  });
});
