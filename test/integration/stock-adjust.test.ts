import { beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../api/core/context.ts';
import { adjustStock } from '../../api/stock/adjust-stock.ts';
import { receiveGoods } from '../../api/stock/receive-goods.ts';
import { buildHospital, type Hospital } from '../helpers/fixture.ts';
import { balanceOf, failsWithoutTrace, lotByCode, snapshot } from '../helpers/ledger.ts';
import { describeStockActions, type Who, missing } from '../helpers/stock-suite.ts';

describeStockActions((s) => {
  const { as, stockUp, auditRows, expectWrote } = s;

  describe('adjustStock', () => {
    let h: Hospital;
    beforeAll(async () => {
      h = await buildHospital(s.db, 'ADJ');
    });
    const adjust = (actor: Actor, input: Record<string, unknown>) => adjustStock({ ctx: as(actor), input });

    it.each([
      ['down', 7, { kind: 'adjustment', quantity: 3, fromLocationId: 'store', toLocationId: null }],
      ['up', 12, { kind: 'adjustment', quantity: 2, fromLocationId: null, toLocationId: 'store' }],
    ])('books the difference of a count %s as one adjustment', async (direction, counted, shape) => {
      const lot = await stockUp(h, h.cardioStore.id, h.gloves.id, `ADJ-${direction}`, 10);
      const before = await snapshot(s.db);
      const result = await adjust(h.actors.nurse, {
        locationId: h.cardioStore.id,
        lotId: lot.id,
        countedQuantity: counted,
        reason: 'inventario',
      });
      const side = (v: string | null) => (v === 'store' ? h.cardioStore.id : v);
      expect(result).toEqual({
        replayed: false,
        previousQuantity: 10,
        countedQuantity: counted,
        movements: [
          expect.objectContaining({
            ...shape,
            fromLocationId: side(shape.fromLocationId),
            toLocationId: side(shape.toLocationId),
            lotId: lot.id,
            reason: 'inventario',
            unitPrice: '0.2500',
            actorId: h.actors.nurse.userId,
          }),
        ],
      });
      expect(await balanceOf(s.db, h.cardioStore.id, lot.id)).toBe(counted);
      await expectWrote(before, 1);
      expect(await auditRows('stock.adjust', lot.id)).toEqual([
        expect.objectContaining({
          actorId: h.actors.nurse.userId,
          channel: 'http',
          entityType: 'lot',
          detail: {
            movementIds: result.movements.map((m) => m.id),
            location: h.cardioStore.id,
            previousQuantity: 10,
            countedQuantity: counted,
            reason: 'inventario',
          },
        }),
      ]);
    });

    it('writes no movement when the count equals the stock on hand, but audits the count', async () => {
      const lot = await stockUp(h, h.cardioStore.id, h.gloves.id, 'ADJ-SAME', 10);
      const before = await snapshot(s.db);
      const result = await adjust(h.actors.nurse, {
        locationId: h.cardioStore.id,
        lotId: lot.id,
        countedQuantity: 10,
        reason: 'inventario',
      });
      expect(result).toEqual({ replayed: false, previousQuantity: 10, countedQuantity: 10, movements: [] });
      await expectWrote(before, 0);
      expect((await snapshot(s.db)).balances).toEqual(before.balances);
    });

    it('counts a lot never seen at a location: found stock is booked in, nothing found is no movement', async () => {
      const lot = await stockUp(h, h.warehouse.id, h.gloves.id, 'ADJ-NEW', 10);
      expect(
        (
          await adjust(h.actors.nurse, {
            locationId: h.cabinet.id,
            lotId: lot.id,
            countedQuantity: 0,
            reason: 'inventario',
          })
        ).movements,
      ).toEqual([]);
      const found = await adjust(h.actors.nurse, {
        locationId: h.cabinet.id,
        lotId: lot.id,
        countedQuantity: 3,
        reason: 'ritrovato',
      });
      expect(found).toMatchObject({ previousQuantity: 0, movements: [{ quantity: 3, toLocationId: h.cabinet.id }] });
      expect(await balanceOf(s.db, h.cabinet.id, lot.id)).toBe(3);
    });

    it.each<[string, (h: Hospital, lotId: string) => Record<string, unknown>, string]>([
      [
        'a negative count',
        (h, lotId) => ({ locationId: h.cardioStore.id, lotId, countedQuantity: -1, reason: 'x' }),
        'countedQuantity',
      ],
      [
        'a fractional count',
        (h, lotId) => ({ locationId: h.cardioStore.id, lotId, countedQuantity: 1.5, reason: 'x' }),
        'countedQuantity',
      ],
      ['no reason', (h, lotId) => ({ locationId: h.cardioStore.id, lotId, countedQuantity: 1 }), 'reason'],
      [
        'a lot code instead of its id',
        (h) => ({ locationId: h.cardioStore.id, lotId: 'ADJ-BAD', countedQuantity: 1, reason: 'x' }),
        'lotId',
      ],
    ])('refuses %s, naming the field, and writes nothing', async (_, input, field) => {
      const lot = await stockUp(h, h.cardioStore.id, h.gloves.id, `ADJ-BAD-${_.length}`, 3);
      await failsWithoutTrace(s.db, () => adjust(h.actors.nurse, input(h, lot.id)), { code: 'validation', field });
    });

    it('refuses an unknown lot or another organisation’s lot as not found, releasing the idempotency key', async () => {
      await receiveGoods({
        ctx: as(s.other.actors.admin),
        input: {
          locationId: s.other.warehouse.id,
          lines: [{ itemId: s.other.gloves.id, lotCode: 'THEIRS', quantity: 1 }],
        },
      });
      const theirs = await lotByCode(s.db, s.other.gloves.id, 'THEIRS');
      const input = { locationId: h.cardioStore.id, countedQuantity: 1, reason: 'x', idempotencyKey: 'adj-missing' };
      await failsWithoutTrace(s.db, () => adjust(h.actors.nurse, { ...input, lotId: missing }), { code: 'not_found' });
      await failsWithoutTrace(s.db, () => adjust(h.actors.nurse, { ...input, lotId: theirs.id }), {
        code: 'not_found',
      });
      const lot = await stockUp(h, h.cardioStore.id, h.gloves.id, 'ADJ-AFTER', 3);
      expect(await adjust(h.actors.nurse, { ...input, lotId: lot.id })).toMatchObject({
        replayed: false,
        previousQuantity: 3,
        countedQuantity: 1,
      });
    });

    it.each<[Who, 'cardioStore' | 'cabinet' | 'warehouse']>([
      ['otherNurse', 'cardioStore'],
      ['device', 'cabinet'],
      ['warehouse', 'cardioStore'],
      ['nurse', 'warehouse'],
    ])('forbids the %s to adjust at the %s, writing nothing', async (who, where) => {
      const lot = await stockUp(h, h[where].id, h.gloves.id, `ADJ-F-${who}-${where}`.slice(0, 20), 3);
      await failsWithoutTrace(
        s.db,
        () => adjust(h.actors[who], { locationId: h[where].id, lotId: lot.id, countedQuantity: 0, reason: 'x' }),
        { code: 'forbidden' },
      );
    });

    it('replays a retry with the same key and refuses the key with another count', async () => {
      const lot = await stockUp(h, h.cardioStore.id, h.gloves.id, 'ADJ-IDEM', 10);
      const input = {
        locationId: h.cardioStore.id,
        lotId: lot.id,
        countedQuantity: 8,
        reason: 'inventario',
        idempotencyKey: 'adj-1',
      };
      // A replay answers the first count, even though a new count of 8 would now find nothing to adjust.
      await s.expectReplayed(
        (i) => adjust(h.actors.nurse, i),
        input,
        { ...input, countedQuantity: 7 },
        { code: 'conflict', key: 'idempotency_mismatch' },
      );
      expect(await balanceOf(s.db, h.cardioStore.id, lot.id)).toBe(8);
    });
  });
});
