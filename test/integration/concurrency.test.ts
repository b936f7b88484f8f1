import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createItem } from '../../api/catalogue/items.ts';
import { adjustStock } from '../../api/stock/adjust-stock.ts';
import { issueStock } from '../../api/stock/issue-stock.ts';
import { receiveGoods } from '../../api/stock/receive-goods.ts';
import { reverseMovement } from '../../api/stock/reverse-movement.ts';
import { idempotencyKeys, movements } from '../../db/schema/index.ts';
import { openTestDatabase, postgresUrl, type TestDatabase } from '../helpers/database.ts';
import { buildHospital, contextFor, type Hospital } from '../helpers/fixture.ts';
import { balanceOf, ledgerMismatches, lotByCode, negativeBalances, settle } from '../helpers/ledger.ts';
import { receiveAtWarehouse, issueBetween } from '../helpers/stock-moves.ts';

// Real concurrency needs a server: PGlite runs one query at a time. This is the only skipped suite.
describe.skipIf(!postgresUrl)('concurrent writers on postgres', () => {
  let t: TestDatabase;
  let h: Hospital;
  beforeAll(async () => {
    t = await openTestDatabase('postgres', { poolSize: 20 });
    h = await buildHospital(t.db);
  });
  afterAll(() => t?.close());

  const wh = () => contextFor(t.db, h.actors.warehouse);
  const stock = async (itemId: string, lotCode: string, quantity: number, expiry = '2027-06-30') => {
    await receiveAtWarehouse(h, [{ itemId, lotCode, expiry, quantity }], wh());
    return lotByCode(t.db, itemId, lotCode);
  };
  const issuesOf = async (lotId: string) =>
    (
      await t.db
        .select({ n: sql<number>`count(*)::int` })
        .from(movements)
        .where(and(eq(movements.lotId, lotId), eq(movements.kind, 'issue')))
    )[0]!.n;

  /** Two reversals of the lot's receipt at once: one succeeds, the other is already reversed; `left` stays. */
  const reverseReceiptTwice = async (lotId: string, left: number) => {
    const [receipt] = await t.db
      .select()
      .from(movements)
      .where(eq(movements.lotId, lotId))
      .orderBy(movements.id)
      .limit(1);
    const { ok, errors } = await settle(
      [1, 2].map((n) => reverseMovement({ ctx: wh(), input: { movementId: receipt!.id, reason: `storno ${n}` } })),
    );
    expect(ok).toHaveLength(1);
    expect(errors.map((e) => [e.code, e.key])).toEqual([['conflict', 'already_reversed']]);
    expect(await balanceOf(t.db, h.warehouse.id, lotId)).toBe(left);
    expect((await t.db.select().from(movements).where(eq(movements.reversesId, receipt!.id))).length).toBe(1);
  };

  it('50 concurrent issues of one unit against 10 available: exactly 10 succeed, 40 are insufficient stock', async () => {
    const lot = await stock(h.gloves.id, 'RACE-50', 10);
    const { ok, errors } = await settle(
      Array.from({ length: 50 }, () =>
        issueBetween(wh(), h.warehouse.id, h.cardioStore.id, [{ itemId: h.gloves.id, lotId: lot.id, quantity: 1 }]),
      ),
    );
    expect(ok).toHaveLength(10);
    expect(errors).toHaveLength(40);
    for (const error of errors)
      expect({ code: error.code, key: error.key }).toEqual({ code: 'conflict', key: 'insufficient_stock' });
    expect(await balanceOf(t.db, h.warehouse.id, lot.id)).toBe(0);
    expect(await balanceOf(t.db, h.cardioStore.id, lot.id)).toBe(10);
    expect(await issuesOf(lot.id)).toBe(10);
    expect(await ledgerMismatches(t.db)).toEqual([]);
  });

  it('two concurrent reversals of one movement: one succeeds, the other is a conflict', async () => {
    // Enough stock stays behind that both could take it: only the reversal rule may stop the second.
    for (const round of [1, 2, 3, 4, 5]) {
      const lot = await stock(h.syringe.id, `REV-RACE-${round}`, 10);
      await receiveAtWarehouse(h, [{ itemId: h.syringe.id, lotCode: lot.lotCode, quantity: 20 }], wh());
      await reverseReceiptTwice(lot.id, 20);
    }
  });

  it('two concurrent reversals of a receipt whose stock only one can take: the second is already reversed, not insufficient stock', async () => {
    for (const round of [1, 2, 3, 4, 5]) {
      const lot = await stock(h.gloves.id, `REV-SHORT-${round}`, 10);
      await reverseReceiptTwice(lot.id, 0);
    }
  });

  it('20 concurrent retries with one idempotency key: one write, every caller gets the same movements', async () => {
    const lot = await stock(h.gloves.id, 'RETRY-20', 30);
    const input = {
      fromLocationId: h.warehouse.id,
      toLocationId: h.cardioStore.id,
      idempotencyKey: 'retry-storm',
      lines: [{ itemId: h.gloves.id, lotId: lot.id, quantity: 3 }],
    };
    const { ok, errors } = await settle(Array.from({ length: 20 }, () => issueStock({ ctx: wh(), input })));
    expect(errors).toEqual([]);
    expect(ok.filter((r) => !r.replayed)).toHaveLength(1);
    const ids = new Set(ok.map((r) => JSON.stringify(r.movements.map((m) => m.id))));
    expect(ids.size).toBe(1);
    expect(await issuesOf(lot.id)).toBe(1);
    expect(await balanceOf(t.db, h.warehouse.id, lot.id)).toBe(27);
    expect(await t.db.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, 'retry-storm'))).toHaveLength(1);
  });

  it('concurrent FEFO issues across three lots never over-issue', async () => {
    const { id: item } = await createItem({
      ctx: h.sys,
      input: { code: 'RACE-FEFO', name: 'Garza', nameEn: 'Gauze', categoryId: h.category.id, unit: 'pz' },
    });
    const lots = [
      await stock(item, 'FEFO-A', 5, '2027-01-31'),
      await stock(item, 'FEFO-B', 7, '2027-03-31'),
      await stock(item, 'FEFO-C', 8, '2027-05-31'),
    ];
    const requests = Array.from({ length: 30 }, (_, i) => ({
      quantity: 1 + (i % 3),
      to: i % 2 ? h.cardioStore.id : h.surgery.id,
    }));
    const { ok, errors } = await settle(
      requests.map((r) => issueBetween(wh(), h.warehouse.id, r.to, [{ itemId: item, quantity: r.quantity }])),
    );
    const issued = ok.flatMap((r) => r.movements).reduce((sum, m) => sum + m.quantity, 0);
    const left = (await Promise.all(lots.map((l) => balanceOf(t.db, h.warehouse.id, l.id)))).reduce((a, b) => a + b, 0);
    expect(issued + left).toBe(20);
    expect(issued).toBeLessThanOrEqual(20);
    // Stock only went down, so a request refused for lack of stock asked for more than what is left now.
    for (const error of errors) {
      expect({ code: error.code, key: error.key }).toEqual({ code: 'conflict', key: 'insufficient_stock' });
      expect(error.context.available as number).toBeLessThan(error.context.requested as number);
      expect(left).toBeLessThanOrEqual(error.context.available as number);
    }
    expect(errors.length).toBeGreaterThan(0);
    // Each success took its units from the lots in expiry order, whatever was left of them at its turn.
    for (const r of ok) {
      const order = r.movements.map((m) => lots.findIndex((l) => l.id === m.lotId));
      expect(order).toEqual([...order].sort());
    }
  });

  it('concurrent receipts of one new lot all land in that one lot', async () => {
    const { ok } = await settle(
      [h.warehouse.id, h.pharmacy.id, h.warehouse.id, h.pharmacy.id].map((locationId) =>
        receiveGoods({
          ctx: contextFor(t.db, h.actors.admin),
          input: {
            locationId,
            lines: [{ itemId: h.gloves.id, lotCode: 'NEW-RACE', expiry: '2027-08-31', quantity: 5 }],
          },
        }),
      ),
    );
    expect(ok).toHaveLength(4);
    const lot = await lotByCode(t.db, h.gloves.id, 'NEW-RACE');
    expect(new Set(ok.map((r) => r.movements[0]!.lotId))).toEqual(new Set([lot.id]));
    expect([await balanceOf(t.db, h.warehouse.id, lot.id), await balanceOf(t.db, h.pharmacy.id, lot.id)]).toEqual([
      10, 10,
    ]);
  });

  it('concurrent counts of a lot new to a location agree with the count, not with their sum', async () => {
    const lot = await stock(h.gloves.id, 'COUNT-RACE', 50);
    const { ok } = await settle(
      Array.from({ length: 10 }, () =>
        adjustStock({
          ctx: contextFor(t.db, h.actors.nurse),
          input: { locationId: h.cabinet.id, lotId: lot.id, countedQuantity: 5, reason: 'inventario' },
        }),
      ),
    );
    expect(ok).toHaveLength(10);
    expect(await balanceOf(t.db, h.cabinet.id, lot.id)).toBe(5);
    expect(ok.filter((r) => r.movements.length > 0)).toHaveLength(1);
  });

  it('leaves every balance equal to its ledger and none negative', async () => {
    expect(await ledgerMismatches(t.db)).toEqual([]);
    expect(await negativeBalances(t.db)).toEqual([]);
  });
});
