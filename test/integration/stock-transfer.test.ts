import { beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../api/core/context.ts';
import { transferStock } from '../../api/stock/issue-stock.ts';
import type { Channel } from '../../db/schema/index.ts';
import { buildHospital, type Hospital } from '../helpers/fixture.ts';
import { balanceOf, failsWithoutTrace, snapshot } from '../helpers/ledger.ts';
import { describeStockActions, type Who } from '../helpers/stock-suite.ts';

describeStockActions((s) => {
  const { as, stockUp, auditRows, expectWrote } = s;

  describe('transferStock', () => {
    let h: Hospital;
    beforeAll(async () => {
      h = await buildHospital(s.db, 'TRF');
    });
    const transfer = (actor: Actor, input: Record<string, unknown>, channel: Channel = 'http') =>
      transferStock({ ctx: as(actor, channel), input });

    it('lets a nurse move stock from her ward store to her cabinet', async () => {
      const lot = await stockUp(h, h.cardioStore.id, h.gloves.id, 'TRF-HAPPY', 12);
      const before = await snapshot(s.db);
      const result = await transfer(
        h.actors.nurse,
        {
          fromLocationId: h.cardioStore.id,
          toLocationId: h.cabinet.id,
          reason: 'rifornimento armadio',
          lines: [{ itemId: h.gloves.id, quantity: 5 }],
        },
        'voice',
      );
      expect(result.movements).toEqual([
        expect.objectContaining({
          kind: 'transfer',
          lotId: lot.id,
          quantity: 5,
          fromLocationId: h.cardioStore.id,
          toLocationId: h.cabinet.id,
          reason: 'rifornimento armadio',
          actorId: h.actors.nurse.userId,
          channel: 'voice',
        }),
      ]);
      expect([await balanceOf(s.db, h.cardioStore.id, lot.id), await balanceOf(s.db, h.cabinet.id, lot.id)]).toEqual([
        7, 5,
      ]);
      await expectWrote(before, 1);
      expect(await auditRows('stock.transfer', String(result.movements[0]!.id))).toEqual([
        expect.objectContaining({ actorId: h.actors.nurse.userId, channel: 'voice' }),
      ]);
    });

    it.each<[string, (h: Hospital, lotId: string) => Record<string, unknown>, string, string]>([
      [
        'a negative quantity',
        (h, lotId) => ({
          fromLocationId: h.cardioStore.id,
          toLocationId: h.cabinet.id,
          lines: [{ itemId: h.gloves.id, lotId, quantity: -1 }],
        }),
        'validation',
        'lines.0.quantity',
      ],
      [
        'an empty reason',
        (h, lotId) => ({
          fromLocationId: h.cardioStore.id,
          toLocationId: h.cabinet.id,
          reason: '',
          lines: [{ itemId: h.gloves.id, lotId, quantity: 1 }],
        }),
        'validation',
        'reason',
      ],
      [
        'the same source and destination',
        (h, lotId) => ({
          fromLocationId: h.cabinet.id,
          toLocationId: h.cabinet.id,
          lines: [{ itemId: h.gloves.id, lotId, quantity: 1 }],
        }),
        'same_location',
        'toLocationId',
      ],
    ])('refuses %s, naming the field, and writes nothing', async (_, input, key, field) => {
      const lot = await stockUp(h, h.cardioStore.id, h.gloves.id, `TRF-BAD-${key}-${field}`.slice(0, 20), 3);
      await failsWithoutTrace(s.db, () => transfer(h.actors.nurse, input(h, lot.id)), {
        code: 'validation',
        key: key as 'validation',
        field,
      });
    });

    it('refuses a destination of another organisation as not found, writing nothing', async () => {
      const lot = await stockUp(h, h.cardioStore.id, h.gloves.id, 'TRF-ORG', 3);
      await failsWithoutTrace(
        s.db,
        () =>
          transfer(h.actors.nurse, {
            fromLocationId: h.cardioStore.id,
            toLocationId: s.other.cabinet.id,
            lines: [{ itemId: h.gloves.id, lotId: lot.id, quantity: 1 }],
          }),
        { code: 'not_found' },
      );
    });

    it('refuses to transfer a quarantined lot', async () => {
      const lot = await stockUp(h, h.cardioStore.id, h.gloves.id, 'TRF-QUAR', 3, '2027-06-30', 'quarantined');
      await failsWithoutTrace(
        s.db,
        () =>
          transfer(h.actors.nurse, {
            fromLocationId: h.cardioStore.id,
            toLocationId: h.cabinet.id,
            lines: [{ itemId: h.gloves.id, lotId: lot.id, quantity: 1 }],
          }),
        {
          code: 'precondition_failed',
          key: 'lot_unavailable',
          field: 'lines.0.lotId',
        },
      );
    });

    it.each<[Who, 'cardioStore' | 'surgery' | 'cabinet']>([
      ['otherNurse', 'cardioStore'],
      ['nurse', 'surgery'],
      ['device', 'cabinet'],
      ['homeCare', 'cardioStore'],
      ['warehouse', 'cardioStore'],
    ])('forbids the %s to transfer from the %s, writing nothing', async (who, from) => {
      const lot = await stockUp(h, h[from].id, h.gloves.id, `TRF-F-${who}-${from}`.slice(0, 20), 3);
      const to = from === 'cabinet' ? h.cardioStore.id : h.cabinet.id;
      await failsWithoutTrace(
        s.db,
        () =>
          transfer(h.actors[who], {
            fromLocationId: h[from].id,
            toLocationId: to,
            lines: [{ itemId: h.gloves.id, lotId: lot.id, quantity: 1 }],
          }),
        { code: 'forbidden' },
      );
    });

    it('rolls back a two-line transfer whose second line lacks stock', async () => {
      const first = await stockUp(h, h.cardioStore.id, h.gloves.id, 'TRF-ONE', 10);
      const second = await stockUp(h, h.cardioStore.id, h.syringe.id, 'TRF-TWO', 2);
      const error = await failsWithoutTrace(
        s.db,
        () =>
          transfer(h.actors.nurse, {
            fromLocationId: h.cardioStore.id,
            toLocationId: h.cabinet.id,
            lines: [
              { itemId: h.gloves.id, lotId: first.id, quantity: 10 },
              { itemId: h.syringe.id, lotId: second.id, quantity: 3 },
            ],
          }),
        { code: 'conflict', key: 'insufficient_stock' },
      );
      expect(error.context).toMatchObject({ lotId: second.id, requested: 3, available: 2 });
      expect(await balanceOf(s.db, h.cabinet.id, first.id)).toBe(0);
    });

    it('replays a retry with the same key and refuses the key with another payload', async () => {
      const lot = await stockUp(h, h.cardioStore.id, h.gloves.id, 'TRF-IDEM', 10);
      const input = {
        fromLocationId: h.cardioStore.id,
        toLocationId: h.cabinet.id,
        idempotencyKey: 'trf-1',
        lines: [{ itemId: h.gloves.id, lotId: lot.id, quantity: 2 }],
      };
      await s.expectReplayed<Record<string, unknown>>(
        (i) => transfer(h.actors.nurse, i),
        input,
        { ...input, reason: 'diverso' },
        { code: 'conflict', key: 'idempotency_mismatch' },
      );
      expect(await balanceOf(s.db, h.cabinet.id, lot.id)).toBe(2);
    });
  });
});
