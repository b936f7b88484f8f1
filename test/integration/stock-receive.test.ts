import { beforeAll, describe, expect, it } from 'vitest';
import { receiveGoods } from '../../api/stock/receive-goods.ts';
import { buildHospital, today, type Hospital } from '../helpers/fixture.ts';
import { balanceOf, failsWithoutTrace, lotByCode, snapshot } from '../helpers/ledger.ts';
import { describeStockActions, type Who, missing } from '../helpers/stock-suite.ts';

describeStockActions((s) => {
  const { as, stockUp, auditRows, ledgerOf, expectWrote } = s;

  describe('receiveGoods', () => {
    let h: Hospital;
    beforeAll(async () => {
      h = await buildHospital(s.db, 'RCV');
    });
    const line = (h: Hospital, extra: Record<string, unknown> = {}) => ({
      itemId: h.gloves.id,
      lotCode: 'BAD-1',
      expiry: '2027-01-31',
      quantity: 5,
      ...extra,
    });

    it('books one receipt per line, creates the lots, sets balances and audits the actor and channel', async () => {
      const before = await snapshot(s.db);
      const result = await receiveGoods({
        ctx: as(h.actors.warehouse, 'slack'),
        input: {
          locationId: h.warehouse.id,
          supplierId: h.supplier.id,
          documentType: 'DDT',
          documentId: 'DDT-1',
          lines: [
            { itemId: h.gloves.id, lotCode: 'G-1', expiry: '2027-05-31', quantity: 40, unitPrice: 0.05 },
            { itemId: h.syringe.id, lotCode: 'S-1', quantity: 10 },
          ],
        },
      });
      const gloves = await lotByCode(s.db, h.gloves.id, 'G-1');
      const syringes = await lotByCode(s.db, h.syringe.id, 'S-1');
      expect(gloves).toMatchObject({
        organisationId: h.org.id,
        expiry: '2027-05-31',
        supplierId: h.supplier.id,
        purchasePrice: '0.0500',
        status: 'available',
      });
      expect(syringes).toMatchObject({ expiry: null, purchasePrice: null });
      const common = {
        kind: 'receipt',
        fromLocationId: null,
        toLocationId: h.warehouse.id,
        documentType: 'DDT',
        documentId: 'DDT-1',
        actorId: h.actors.warehouse.userId,
        channel: 'slack',
        reversesId: null,
        occurredAt: today.toISOString(),
      };
      expect(result).toEqual({
        replayed: false,
        movements: [
          expect.objectContaining({
            ...common,
            itemId: h.gloves.id,
            lotId: gloves.id,
            quantity: 40,
            unitPrice: '0.0500',
          }),
          expect.objectContaining({
            ...common,
            itemId: h.syringe.id,
            lotId: syringes.id,
            quantity: 10,
            unitPrice: null,
          }),
        ],
      });
      expect(await balanceOf(s.db, h.warehouse.id, gloves.id)).toBe(40);
      expect(await balanceOf(s.db, h.warehouse.id, syringes.id)).toBe(10);
      await expectWrote(before, 2, 2);
      expect(await auditRows('stock.receive', String(result.movements[0]!.id))).toEqual([
        expect.objectContaining({
          organisationId: h.org.id,
          actorId: h.actors.warehouse.userId,
          channel: 'slack',
          entityType: 'movement',
          detail: { movementIds: result.movements.map((m) => m.id), location: h.warehouse.id, documentId: 'DDT-1' },
        }),
      ]);
    });

    it('adds a known lot’s new delivery to the same lot', async () => {
      await stockUp(h, h.warehouse.id, h.gloves.id, 'G-AGAIN', 10, '2027-05-31');
      const before = await snapshot(s.db);
      await receiveGoods({
        ctx: as(h.actors.warehouse),
        input: {
          locationId: h.warehouse.id,
          lines: [{ itemId: h.gloves.id, lotCode: 'G-AGAIN', expiry: '2027-05-31', quantity: 5 }],
        },
      });
      await receiveGoods({
        ctx: as(h.actors.warehouse),
        input: { locationId: h.warehouse.id, lines: [{ itemId: h.gloves.id, lotCode: 'G-AGAIN', quantity: 1 }] },
      });
      expect(await balanceOf(s.db, h.warehouse.id, (await lotByCode(s.db, h.gloves.id, 'G-AGAIN')).id)).toBe(16);
      expect((await snapshot(s.db)).lots).toBe(before.lots);
    });

    it.each<[string, (h: Hospital) => unknown, string]>([
      [
        'a zero quantity',
        (h) => ({ locationId: h.warehouse.id, lines: [line(h, { quantity: 0 })] }),
        'lines.0.quantity',
      ],
      [
        'a fractional quantity',
        (h) => ({ locationId: h.warehouse.id, lines: [line(h), line(h, { quantity: 2.5 })] }),
        'lines.1.quantity',
      ],
      [
        'an empty lot code',
        (h) => ({ locationId: h.warehouse.id, lines: [line(h, { lotCode: ' ' })] }),
        'lines.0.lotCode',
      ],
      [
        'an impossible expiry',
        (h) => ({ locationId: h.warehouse.id, lines: [line(h, { expiry: '2027-02-30' })] }),
        'lines.0.expiry',
      ],
      [
        'a negative price',
        (h) => ({ locationId: h.warehouse.id, lines: [line(h, { unitPrice: -1 })] }),
        'lines.0.unitPrice',
      ],
      [
        'an item code instead of its id',
        (h) => ({ locationId: h.warehouse.id, lines: [line(h, { itemId: 'DM-GUA-M' })] }),
        'lines.0.itemId',
      ],
      ['no lines', (h) => ({ locationId: h.warehouse.id, lines: [] }), 'lines'],
      ['a location code instead of its id', (h) => ({ locationId: 'MAG', lines: [line(h)] }), 'locationId'],
      [
        'a bad occurrence time',
        (h) => ({ locationId: h.warehouse.id, occurredAt: 'yesterday', lines: [line(h)] }),
        'occurredAt',
      ],
    ])('refuses %s, naming the field, and writes nothing', async (_, input, field) => {
      await failsWithoutTrace(s.db, () => receiveGoods({ ctx: as(h.actors.warehouse), input: input(h) }), {
        code: 'validation',
        key: 'validation',
        field,
      });
    });

    it('refuses an unknown item or supplier as not found, writing nothing', async () => {
      const input = { locationId: h.warehouse.id, lines: [line(h)] };
      await failsWithoutTrace(
        s.db,
        () =>
          receiveGoods({
            ctx: as(h.actors.warehouse),
            input: { ...input, lines: [line(h), line(h, { itemId: missing })] },
          }),
        { code: 'not_found' },
      );
      await failsWithoutTrace(
        s.db,
        () => receiveGoods({ ctx: as(h.actors.warehouse), input: { ...input, supplierId: s.other.supplier.id } }),
        { code: 'not_found' },
      );
    });

    /** A receipt into the warehouse, as the warehouse keeper. */
    const receiveAtWarehouse = (input: Omit<Parameters<typeof receiveGoods>[0]['input'], 'locationId'>) =>
      receiveGoods({ ctx: as(h.actors.warehouse), input: { locationId: h.warehouse.id, ...input } });

    it('rolls the whole receipt back when its second line names a known lot with another expiry', async () => {
      await stockUp(h, h.warehouse.id, h.gloves.id, 'KNOWN', 5, '2027-01-31');
      const error = await failsWithoutTrace(
        s.db,
        () =>
          receiveAtWarehouse({
            idempotencyKey: 'rcv-mismatch',
            lines: [
              { itemId: h.syringe.id, lotCode: 'NEW-1', expiry: '2027-03-31', quantity: 7 },
              { itemId: h.gloves.id, lotCode: 'KNOWN', expiry: '2028-01-31', quantity: 5 },
            ],
          }),
        { code: 'validation', key: 'lot_item_mismatch', field: 'lines.1.expiry' },
      );
      expect(error.params).toEqual({ lotCode: 'KNOWN', expiry: '2027-01-31' });
      await expect(lotByCode(s.db, h.syringe.id, 'NEW-1')).rejects.toThrow();
      // The failure released the idempotency key: the corrected retry goes through.
      const retry = await receiveAtWarehouse({
        idempotencyKey: 'rcv-mismatch',
        lines: [{ itemId: h.syringe.id, lotCode: 'NEW-1', expiry: '2027-03-31', quantity: 7 }],
      });
      expect(retry.replayed).toBe(false);
    });

    it('rolls the whole receipt back when its second line is a recalled lot', async () => {
      await stockUp(h, h.warehouse.id, h.gloves.id, 'RECALLED', 5, '2027-01-31', 'recalled');
      await failsWithoutTrace(
        s.db,
        () =>
          receiveAtWarehouse({
            lines: [
              { itemId: h.syringe.id, lotCode: 'NEW-2', quantity: 7 },
              { itemId: h.gloves.id, lotCode: 'RECALLED', expiry: '2027-01-31', quantity: 5 },
            ],
          }),
        { code: 'precondition_failed', key: 'lot_unavailable', field: 'lines.1.lotCode' },
      );
      await expect(lotByCode(s.db, h.syringe.id, 'NEW-2')).rejects.toThrow();
    });

    it.each<[Who, 'warehouse' | 'pharmacy' | 'cardioStore' | 'cabinet' | 'home']>([
      ['nurse', 'warehouse'],
      ['nurse', 'cardioStore'],
      ['warehouse', 'pharmacy'],
      ['pharmacist', 'warehouse'],
      ['device', 'cabinet'],
      ['homeCare', 'home'],
    ])('forbids the %s to receive at the %s, writing nothing', async (who, where) => {
      await failsWithoutTrace(
        s.db,
        () =>
          receiveGoods({
            ctx: as(h.actors[who]),
            input: { locationId: h[where].id, lines: [line(h, { lotCode: 'NOPE' })] },
          }),
        {
          code: 'forbidden',
          key: 'forbidden',
        },
      );
    });

    it('does not even reveal our warehouse to another organisation’s admin', async () => {
      await failsWithoutTrace(
        s.db,
        () =>
          receiveGoods({
            ctx: as(s.other.actors.admin),
            input: { locationId: h.warehouse.id, lines: [{ itemId: s.other.gloves.id, lotCode: 'X', quantity: 1 }] },
          }),
        {
          code: 'not_found',
        },
      );
    });

    it('replays a retry with the same key and payload (in any key order) and refuses the key with another payload', async () => {
      const input = {
        locationId: h.warehouse.id,
        idempotencyKey: 'rcv-1',
        lines: [{ itemId: h.gloves.id, lotCode: 'IDEM-1', expiry: '2027-09-30', quantity: 12 }],
      };
      const first = await receiveGoods({ ctx: as(h.actors.warehouse), input });
      expect(first.replayed).toBe(false);
      const before = await snapshot(s.db);
      const again = await receiveGoods({
        ctx: as(h.actors.warehouse),
        input: {
          lines: [{ quantity: 12, expiry: '2027-09-30', lotCode: 'IDEM-1', itemId: h.gloves.id }],
          idempotencyKey: 'rcv-1',
          locationId: h.warehouse.id,
        },
      });
      expect(again).toEqual({ ...first, replayed: true });
      expect(await snapshot(s.db)).toEqual(before);
      await failsWithoutTrace(
        s.db,
        () =>
          receiveGoods({
            ctx: as(h.actors.warehouse),
            input: { ...input, lines: [{ ...input.lines[0]!, quantity: 13 }] },
          }),
        {
          code: 'conflict',
          key: 'idempotency_mismatch',
          field: 'idempotencyKey',
        },
      );
      const lot = await lotByCode(s.db, h.gloves.id, 'IDEM-1');
      expect(await balanceOf(s.db, h.warehouse.id, lot.id)).toBe(12);
      expect((await ledgerOf(lot.id)).map((m) => m.idempotencyKey)).toEqual(['rcv-1']);
    });
  });
});
