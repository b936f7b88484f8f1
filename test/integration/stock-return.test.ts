import { beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../api/core/context.ts';
import { returnStock } from '../../api/stock/issue-stock.ts';
import { buildHospital, type Hospital } from '../helpers/fixture.ts';
import { balanceOf, failsWithoutTrace, snapshot } from '../helpers/ledger.ts';
import { describeStockActions, type Who } from '../helpers/stock-suite.ts';

describeStockActions((s) => {
  const { as, stockUp, newItem, auditRows, expectWrote } = s;

  describe('returnStock', () => {
    let h: Hospital;
    beforeAll(async () => {
      h = await buildHospital(s.db, 'RET');
    });
    const giveBack = (actor: Actor, input: Record<string, unknown>) => returnStock({ ctx: as(actor), input });

    it.each<['available' | 'quarantined' | 'recalled' | 'past']>([
      ['available'],
      ['quarantined'],
      ['recalled'],
      ['past'],
    ])('lets a nurse send a %s lot back to the warehouse', async (state) => {
      const lot = await stockUp(
        h,
        h.cardioStore.id,
        h.gloves.id,
        `RET-${state}`,
        6,
        state === 'past' ? '2026-10-31' : '2027-06-30',
        state === 'past' || state === 'available' ? undefined : state,
      );
      const before = await snapshot(s.db);
      const result = await giveBack(h.actors.nurse, {
        fromLocationId: h.cardioStore.id,
        toLocationId: h.warehouse.id,
        reason: `reso ${state}`,
        lines: [{ itemId: h.gloves.id, lotId: lot.id, quantity: 6 }],
      });
      expect(result.movements).toEqual([
        expect.objectContaining({
          kind: 'return',
          lotId: lot.id,
          quantity: 6,
          fromLocationId: h.cardioStore.id,
          toLocationId: h.warehouse.id,
          reason: `reso ${state}`,
        }),
      ]);
      expect([await balanceOf(s.db, h.cardioStore.id, lot.id), await balanceOf(s.db, h.warehouse.id, lot.id)]).toEqual([
        0, 6,
      ]);
      await expectWrote(before, 1);
      expect(await auditRows('stock.return', String(result.movements[0]!.id))).toEqual([
        expect.objectContaining({ actorId: h.actors.nurse.userId, channel: 'http' }),
      ]);
    });

    it('returns whatever lot expires first, usable or not, when no lot is named', async () => {
      const item = await newItem(h, 'RET-FEFO');
      const expired = await stockUp(h, h.cardioStore.id, item.id, 'R-EXP', 2, '2026-11-01');
      const quarantined = await stockUp(h, h.cardioStore.id, item.id, 'R-QUAR', 3, '2026-12-01', 'quarantined');
      const fine = await stockUp(h, h.cardioStore.id, item.id, 'R-OK', 5, '2027-12-01');
      const result = await giveBack(h.actors.nurse, {
        fromLocationId: h.cardioStore.id,
        toLocationId: h.warehouse.id,
        reason: 'svuotamento',
        lines: [{ itemId: item.id, quantity: 6 }],
      });
      expect(result.movements.map((m) => [m.lotId, m.quantity])).toEqual([
        [expired.id, 2],
        [quarantined.id, 3],
        [fine.id, 1],
      ]);
    });

    it.each<[string, (h: Hospital, lotId: string) => Record<string, unknown>, string]>([
      [
        'no reason',
        (h, lotId) => ({
          fromLocationId: h.cardioStore.id,
          toLocationId: h.warehouse.id,
          lines: [{ itemId: h.gloves.id, lotId, quantity: 1 }],
        }),
        'reason',
      ],
      [
        'a blank reason',
        (h, lotId) => ({
          fromLocationId: h.cardioStore.id,
          toLocationId: h.warehouse.id,
          reason: '   ',
          lines: [{ itemId: h.gloves.id, lotId, quantity: 1 }],
        }),
        'reason',
      ],
      [
        'a source that is not an id',
        (h, lotId) => ({
          fromLocationId: 'CARD-MR',
          toLocationId: h.warehouse.id,
          reason: 'x',
          lines: [{ itemId: h.gloves.id, lotId, quantity: 1 }],
        }),
        'fromLocationId',
      ],
    ])('refuses %s, naming the field, and writes nothing', async (_, input, field) => {
      const lot = await stockUp(h, h.cardioStore.id, h.gloves.id, `RET-BAD-${field}`.slice(0, 16) + _.length, 3);
      await failsWithoutTrace(s.db, () => giveBack(h.actors.nurse, input(h, lot.id)), { code: 'validation', field });
    });

    it.each<[Who]>([['otherNurse'], ['device'], ['homeCare'], ['pharmacist']])(
      'forbids the %s to return from the cardiology store, writing nothing',
      async (who) => {
        const lot = await stockUp(h, h.cardioStore.id, h.gloves.id, `RET-F-${who}`, 3);
        await failsWithoutTrace(
          s.db,
          () =>
            giveBack(h.actors[who], {
              fromLocationId: h.cardioStore.id,
              toLocationId: h.warehouse.id,
              reason: 'reso',
              lines: [{ itemId: h.gloves.id, lotId: lot.id, quantity: 1 }],
            }),
          { code: 'forbidden' },
        );
      },
    );

    it('rolls back a two-line return whose second line lacks stock', async () => {
      const first = await stockUp(h, h.cardioStore.id, h.gloves.id, 'RET-ONE', 4);
      await failsWithoutTrace(
        s.db,
        () =>
          giveBack(h.actors.nurse, {
            fromLocationId: h.cardioStore.id,
            toLocationId: h.warehouse.id,
            reason: 'reso',
            lines: [
              { itemId: h.gloves.id, lotId: first.id, quantity: 4 },
              { itemId: h.syringe.id, quantity: 1 },
            ],
          }),
        { code: 'conflict', key: 'insufficient_stock' },
      );
      expect(await balanceOf(s.db, h.cardioStore.id, first.id)).toBe(4);
    });

    it('replays a retry with the same key and refuses the key with another payload', async () => {
      const lot = await stockUp(h, h.cardioStore.id, h.gloves.id, 'RET-IDEM', 10);
      const input = {
        fromLocationId: h.cardioStore.id,
        toLocationId: h.warehouse.id,
        reason: 'reso',
        idempotencyKey: 'ret-1',
        lines: [{ itemId: h.gloves.id, lotId: lot.id, quantity: 3 }],
      };
      await s.expectReplayed(
        (i) => giveBack(h.actors.nurse, i),
        input,
        { ...input, reason: 'altro' },
        { code: 'conflict', key: 'idempotency_mismatch' },
      );
      expect(await balanceOf(s.db, h.cardioStore.id, lot.id)).toBe(7);
    });
  });
});
