import { beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../api/core/context.ts';
import { issueStock, transferStock } from '../../api/stock/issue-stock.ts';
import type { LotStatus } from '../../db/schema/index.ts';
import { buildHospital, type Hospital } from '../helpers/fixture.ts';
import { balanceOf, failsWithoutTrace, snapshot } from '../helpers/ledger.ts';
import { describeStockActions, type Who, missing } from '../helpers/stock-suite.ts';

describeStockActions((s) => {
  const { as, stockUp, newItem, auditRows, ledgerOf, expectWrote } = s;

  describe('issueStock', () => {
    let h: Hospital;
    beforeAll(async () => {
      h = await buildHospital(s.db, 'ISS');
    });
    const issue = (actor: Actor, input: Record<string, unknown>) => issueStock({ ctx: as(actor), input });

    it('moves a named lot from the warehouse to a ward store: one movement, both balances, one audit row', async () => {
      const lot = await stockUp(h, h.warehouse.id, h.gloves.id, 'ISS-HAPPY', 50);
      const before = await snapshot(s.db);
      const result = await issueStock({
        ctx: as(h.actors.warehouse, 'mcp'),
        input: {
          fromLocationId: h.warehouse.id,
          toLocationId: h.cardioStore.id,
          documentType: 'REQ',
          documentId: 'R-1',
          lines: [{ itemId: h.gloves.id, lotId: lot.id, quantity: 15 }],
        },
      });
      expect(result).toEqual({
        replayed: false,
        movements: [
          expect.objectContaining({
            kind: 'issue',
            itemId: h.gloves.id,
            lotId: lot.id,
            quantity: 15,
            fromLocationId: h.warehouse.id,
            toLocationId: h.cardioStore.id,
            unitPrice: '0.2500',
            documentId: 'R-1',
            actorId: h.actors.warehouse.userId,
            channel: 'mcp',
          }),
        ],
      });
      expect(await balanceOf(s.db, h.warehouse.id, lot.id)).toBe(35);
      expect(await balanceOf(s.db, h.cardioStore.id, lot.id)).toBe(15);
      await expectWrote(before, 1);
      expect(await auditRows('stock.issue', String(result.movements[0]!.id))).toEqual([
        expect.objectContaining({
          actorId: h.actors.warehouse.userId,
          channel: 'mcp',
          entityType: 'movement',
          detail: { movementIds: [result.movements[0]!.id], from: h.warehouse.id, to: h.cardioStore.id },
        }),
      ]);
    });

    /** An issue from the warehouse to Cardiology's store. */
    const toCardio = (h: Hospital, lines: unknown[]) => ({
      fromLocationId: h.warehouse.id,
      toLocationId: h.cardioStore.id,
      lines,
    });
    it.each<[string, (h: Hospital, lotId: string) => Record<string, unknown>, string, string]>([
      [
        'a zero quantity',
        (h, lotId) => toCardio(h, [{ itemId: h.gloves.id, lotId, quantity: 0 }]),
        'validation',
        'lines.0.quantity',
      ],
      [
        'a quantity above the limit',
        (h) => toCardio(h, [{ itemId: h.gloves.id, quantity: 1_000_001 }]),
        'validation',
        'lines.0.quantity',
      ],
      [
        'a lot id that is not an id',
        (h) => toCardio(h, [{ itemId: h.gloves.id, lotId: 'L-1', quantity: 1 }]),
        'validation',
        'lines.0.lotId',
      ],
      [
        'no destination',
        (h) => ({ fromLocationId: h.warehouse.id, lines: [{ itemId: h.gloves.id, quantity: 1 }] }),
        'validation',
        'toLocationId',
      ],
      ['no lines', (h) => toCardio(h, []), 'validation', 'lines'],
      [
        'the same source and destination',
        (h, lotId) => ({
          fromLocationId: h.warehouse.id,
          toLocationId: h.warehouse.id,
          lines: [{ itemId: h.gloves.id, lotId, quantity: 1 }],
        }),
        'same_location',
        'toLocationId',
      ],
      [
        'a lot of another item',
        (h, lotId) =>
          toCardio(h, [
            { itemId: h.gloves.id, lotId, quantity: 1 },
            { itemId: h.syringe.id, lotId, quantity: 1 },
          ]),
        'validation',
        'lines.1.lotId',
      ],
    ])('refuses %s, naming the field, and writes nothing', async (_, input, key, field) => {
      const lot = await stockUp(h, h.warehouse.id, h.gloves.id, `ISS-BAD-${field}-${key}`.slice(0, 20), 10);
      await failsWithoutTrace(s.db, () => issue(h.actors.warehouse, input(h, lot.id)), {
        code: 'validation',
        key: key as 'validation',
        field,
      });
    });

    it('refuses an unknown lot, item or destination, or another organisation’s, as not found, writing nothing', async () => {
      await stockUp(h, h.warehouse.id, h.gloves.id, 'ISS-NF', 5);
      const base = { fromLocationId: h.warehouse.id, toLocationId: h.cardioStore.id };
      await failsWithoutTrace(
        s.db,
        () => issue(h.actors.warehouse, { ...base, lines: [{ itemId: h.gloves.id, lotId: missing, quantity: 1 }] }),
        { code: 'not_found' },
      );
      await failsWithoutTrace(
        s.db,
        () => issue(h.actors.warehouse, { ...base, lines: [{ itemId: missing, quantity: 1 }] }),
        { code: 'not_found' },
      );
      await failsWithoutTrace(
        s.db,
        () => issue(h.actors.warehouse, { ...base, lines: [{ itemId: s.other.gloves.id, quantity: 1 }] }),
        { code: 'not_found' },
      );
      await failsWithoutTrace(
        s.db,
        () =>
          issue(h.actors.warehouse, { ...base, toLocationId: missing, lines: [{ itemId: h.gloves.id, quantity: 1 }] }),
        { code: 'not_found' },
      );
      // Stock never crosses organisations by an issue: their ward store does not exist for us.
      await failsWithoutTrace(
        s.db,
        () =>
          issue(h.actors.warehouse, {
            ...base,
            toLocationId: s.other.cardioStore.id,
            lines: [{ itemId: h.gloves.id, quantity: 1 }],
          }),
        { code: 'not_found' },
      );
    });

    it.each<[LotStatus | 'past', string]>([
      ['past', 'lot_expired'],
      ['quarantined', 'lot_unavailable'],
      ['recalled', 'lot_unavailable'],
    ])('refuses to issue a named %s lot, writing nothing', async (state, key) => {
      const lot = await stockUp(
        h,
        h.warehouse.id,
        h.gloves.id,
        `ISS-${state}`,
        10,
        state === 'past' ? '2026-11-22' : '2027-06-30',
        state === 'past' ? undefined : state,
      );
      const error = await failsWithoutTrace(
        s.db,
        () =>
          issue(h.actors.warehouse, {
            fromLocationId: h.warehouse.id,
            toLocationId: h.cardioStore.id,
            lines: [{ itemId: h.gloves.id, lotId: lot.id, quantity: 1 }],
          }),
        {
          code: 'precondition_failed',
          key: key as 'lot_expired',
          field: 'lines.0.lotId',
        },
      );
      expect(error.context).toMatchObject({ lotId: lot.id });
    });

    it.each<[Who, 'warehouse' | 'pharmacy']>([
      ['nurse', 'warehouse'],
      ['warehouse', 'pharmacy'],
      ['pharmacist', 'warehouse'],
      ['homeCare', 'warehouse'],
      ['device', 'warehouse'],
    ])('forbids the %s to issue from the %s, writing nothing', async (who, where) => {
      const lot = await stockUp(h, h[where].id, h.gloves.id, `ISS-F-${who}`, 10);
      await failsWithoutTrace(
        s.db,
        () =>
          issue(h.actors[who], {
            fromLocationId: h[where].id,
            toLocationId: h.cardioStore.id,
            lines: [{ itemId: h.gloves.id, lotId: lot.id, quantity: 1 }],
          }),
        { code: 'forbidden' },
      );
    });

    /** Issues the lines from the warehouse to Cardiology's store, expecting the failure and no trace of it. */
    const issueToCardioFails = (lines: unknown[], expected: Parameters<typeof failsWithoutTrace>[2]) =>
      failsWithoutTrace(s.db, () => issue(h.actors.warehouse, toCardio(h, lines)), expected);

    it('rolls back a two-line issue whose second line lacks stock: the first line’s move does not persist', async () => {
      const plenty = await stockUp(h, h.warehouse.id, h.gloves.id, 'ISS-PLENTY', 50);
      const scarce = await stockUp(h, h.warehouse.id, h.syringe.id, 'ISS-SCARCE', 10);
      const error = await issueToCardioFails(
        [
          { itemId: h.gloves.id, lotId: plenty.id, quantity: 5 },
          { itemId: h.syringe.id, lotId: scarce.id, quantity: 30 },
        ],
        { code: 'conflict', key: 'insufficient_stock', field: 'quantity' },
      );
      expect(error.context).toEqual({
        lotId: scarce.id,
        itemId: h.syringe.id,
        locationId: h.warehouse.id,
        requested: 30,
        available: 10,
      });
      expect(error.params).toEqual({ requested: 30, available: 10 });
      expect(await balanceOf(s.db, h.warehouse.id, plenty.id)).toBe(50);
      expect(await balanceOf(s.db, h.cardioStore.id, plenty.id)).toBe(0);
    });

    it('rolls back a FEFO issue whose second item lacks stock, reporting what was available', async () => {
      const item = await newItem(h, 'ISS-FEFO-2');
      await stockUp(h, h.warehouse.id, h.gloves.id, 'ISS-FEFO-G', 5);
      await stockUp(h, h.warehouse.id, item.id, 'A', 3);
      await stockUp(h, h.warehouse.id, item.id, 'B', 4);
      const error = await issueToCardioFails(
        [
          { itemId: h.gloves.id, quantity: 1 },
          { itemId: item.id, quantity: 8 },
        ],
        { code: 'conflict', key: 'insufficient_stock' },
      );
      expect(error.context).toEqual({ itemId: item.id, locationId: h.warehouse.id, requested: 8, available: 7 });
    });

    it('replays a retry with the same key and refuses the key with another payload or for another action', async () => {
      const lot = await stockUp(h, h.warehouse.id, h.gloves.id, 'ISS-IDEM', 20);
      const input = {
        fromLocationId: h.warehouse.id,
        toLocationId: h.cardioStore.id,
        idempotencyKey: 'iss-1',
        lines: [{ itemId: h.gloves.id, lotId: lot.id, quantity: 4 }],
      };
      await s.expectReplayed(
        (i) => issue(h.actors.warehouse, i),
        input,
        { ...input, toLocationId: h.surgery.id },
        { code: 'conflict', key: 'idempotency_mismatch', field: 'idempotencyKey' },
      );
      await failsWithoutTrace(s.db, () => transferStock({ ctx: as(h.actors.warehouse), input }), {
        code: 'conflict',
        key: 'idempotency_mismatch',
      });
      expect(await balanceOf(s.db, h.warehouse.id, lot.id)).toBe(16);
      expect(await ledgerOf(lot.id)).toHaveLength(2);
    });
  });
});
