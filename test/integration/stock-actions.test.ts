import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticateToken, createApiToken } from '../../api/access/tokens.ts';
import { createItem, searchItems } from '../../api/catalogue/items.ts';
import type { Actor } from '../../api/core/context.ts';
import { lotHistory } from '../../api/lots/lot-history.ts';
import { adjustStock } from '../../api/stock/adjust-stock.ts';
import { getStock, stockTotals } from '../../api/stock/get-stock.ts';
import { issueStock, returnStock, transferStock } from '../../api/stock/issue-stock.ts';
import { listMovements } from '../../api/stock/list-movements.ts';
import { receiveGoods } from '../../api/stock/receive-goods.ts';
import { recordConsumption } from '../../api/stock/record-consumption.ts';
import { reverseMovement } from '../../api/stock/reverse-movement.ts';
import { auditLog, movements, type Channel, type LotStatus } from '../../db/schema/index.ts';
import { drivers, openTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { buildHospital, contextFor, today, type Hospital } from '../helpers/fixture.ts';
import {
  balanceOf,
  failsWith,
  failsWithoutTrace,
  ledgerMismatches,
  lotByCode,
  setLotStatus,
  snapshot,
} from '../helpers/ledger.ts';

type Who = keyof Hospital['actors'];
const missing = '00000000-0000-4000-8000-000000000000';

describe.each(drivers)('stock actions on %s', (driver) => {
  let t: TestDatabase;
  /** A second organisation: its people and places must stay out of ours. */
  let other: Hospital;
  beforeAll(async () => {
    t = await openTestDatabase(driver);
    other = await buildHospital(t.db, 'ALTRO');
  });
  afterAll(() => t.close());

  const as = (actor: Actor, channel: Channel = 'http') => contextFor(t.db, { ...actor, channel });
  /** Receives `quantity` of a new lot at a location (as the admin) and returns the lot. */
  const stockUp = async (
    h: Hospital,
    locationId: string,
    itemId: string,
    lotCode: string,
    quantity: number,
    expiry: string | null = '2027-06-30',
    status?: LotStatus,
  ) => {
    await receiveGoods({
      ctx: as(h.actors.admin),
      input: { locationId, lines: [{ itemId, lotCode, quantity, unitPrice: 0.25, ...(expiry ? { expiry } : {}) }] },
    });
    const lot = await lotByCode(t.db, itemId, lotCode);
    if (status) await setLotStatus(t.db, lot.id, status);
    return lot;
  };
  const newItem = async (h: Hospital, code: string) =>
    createItem({
      ctx: h.sys,
      input: { code, name: `Articolo ${code}`, nameEn: `Item ${code}`, categoryId: h.category.id, unit: 'pz' },
    });
  const auditRows = (action: string, entityId: string) =>
    t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, action), eq(auditLog.entityId, entityId)));
  const ledgerOf = (lotId: string) =>
    t.db.select().from(movements).where(eq(movements.lotId, lotId)).orderBy(asc(movements.id));
  /** Checks a successful write: exactly `moved` movements and one audit row more, and a consistent ledger. */
  const expectWrote = async (before: Awaited<ReturnType<typeof snapshot>>, moved: number, lots = 0) => {
    const after = await snapshot(t.db);
    expect({
      movements: after.movements - before.movements,
      audit: after.audit - before.audit,
      lots: after.lots - before.lots,
    }).toEqual({ movements: moved, audit: 1, lots });
    expect(await ledgerMismatches(t.db)).toEqual([]);
  };

  describe('receiveGoods', () => {
    let h: Hospital;
    beforeAll(async () => {
      h = await buildHospital(t.db, 'RCV');
    });
    const line = (h: Hospital, extra: Record<string, unknown> = {}) => ({
      itemId: h.gloves.id,
      lotCode: 'BAD-1',
      expiry: '2027-01-31',
      quantity: 5,
      ...extra,
    });

    it('books one receipt per line, creates the lots, sets balances and audits the actor and channel', async () => {
      const before = await snapshot(t.db);
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
      const gloves = await lotByCode(t.db, h.gloves.id, 'G-1');
      const syringes = await lotByCode(t.db, h.syringe.id, 'S-1');
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
      expect(await balanceOf(t.db, h.warehouse.id, gloves.id)).toBe(40);
      expect(await balanceOf(t.db, h.warehouse.id, syringes.id)).toBe(10);
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
      const before = await snapshot(t.db);
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
      expect(await balanceOf(t.db, h.warehouse.id, (await lotByCode(t.db, h.gloves.id, 'G-AGAIN')).id)).toBe(16);
      expect((await snapshot(t.db)).lots).toBe(before.lots);
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
      await failsWithoutTrace(t.db, () => receiveGoods({ ctx: as(h.actors.warehouse), input: input(h) }), {
        code: 'validation',
        key: 'validation',
        field,
      });
    });

    it('refuses an unknown item or supplier as not found, writing nothing', async () => {
      const input = { locationId: h.warehouse.id, lines: [line(h)] };
      await failsWithoutTrace(
        t.db,
        () =>
          receiveGoods({
            ctx: as(h.actors.warehouse),
            input: { ...input, lines: [line(h), line(h, { itemId: missing })] },
          }),
        { code: 'not_found' },
      );
      await failsWithoutTrace(
        t.db,
        () => receiveGoods({ ctx: as(h.actors.warehouse), input: { ...input, supplierId: other.supplier.id } }),
        { code: 'not_found' },
      );
    });

    it('rolls the whole receipt back when its second line names a known lot with another expiry', async () => {
      await stockUp(h, h.warehouse.id, h.gloves.id, 'KNOWN', 5, '2027-01-31');
      const error = await failsWithoutTrace(
        t.db,
        () =>
          receiveGoods({
            ctx: as(h.actors.warehouse),
            input: {
              locationId: h.warehouse.id,
              idempotencyKey: 'rcv-mismatch',
              lines: [
                { itemId: h.syringe.id, lotCode: 'NEW-1', expiry: '2027-03-31', quantity: 7 },
                { itemId: h.gloves.id, lotCode: 'KNOWN', expiry: '2028-01-31', quantity: 5 },
              ],
            },
          }),
        { code: 'validation', key: 'lot_item_mismatch', field: 'lines.1.expiry' },
      );
      expect(error.params).toEqual({ lotCode: 'KNOWN', expiry: '2027-01-31' });
      await expect(lotByCode(t.db, h.syringe.id, 'NEW-1')).rejects.toThrow();
      // The failure released the idempotency key: the corrected retry goes through.
      const retry = await receiveGoods({
        ctx: as(h.actors.warehouse),
        input: {
          locationId: h.warehouse.id,
          idempotencyKey: 'rcv-mismatch',
          lines: [{ itemId: h.syringe.id, lotCode: 'NEW-1', expiry: '2027-03-31', quantity: 7 }],
        },
      });
      expect(retry.replayed).toBe(false);
    });

    it('rolls the whole receipt back when its second line is a recalled lot', async () => {
      await stockUp(h, h.warehouse.id, h.gloves.id, 'RECALLED', 5, '2027-01-31', 'recalled');
      await failsWithoutTrace(
        t.db,
        () =>
          receiveGoods({
            ctx: as(h.actors.warehouse),
            input: {
              locationId: h.warehouse.id,
              lines: [
                { itemId: h.syringe.id, lotCode: 'NEW-2', quantity: 7 },
                { itemId: h.gloves.id, lotCode: 'RECALLED', expiry: '2027-01-31', quantity: 5 },
              ],
            },
          }),
        { code: 'precondition_failed', key: 'lot_unavailable', field: 'lines.1.lotCode' },
      );
      await expect(lotByCode(t.db, h.syringe.id, 'NEW-2')).rejects.toThrow();
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
        t.db,
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
        t.db,
        () =>
          receiveGoods({
            ctx: as(other.actors.admin),
            input: { locationId: h.warehouse.id, lines: [{ itemId: other.gloves.id, lotCode: 'X', quantity: 1 }] },
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
      const before = await snapshot(t.db);
      const again = await receiveGoods({
        ctx: as(h.actors.warehouse),
        input: {
          lines: [{ quantity: 12, expiry: '2027-09-30', lotCode: 'IDEM-1', itemId: h.gloves.id }],
          idempotencyKey: 'rcv-1',
          locationId: h.warehouse.id,
        },
      });
      expect(again).toEqual({ ...first, replayed: true });
      expect(await snapshot(t.db)).toEqual(before);
      await failsWithoutTrace(
        t.db,
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
      const lot = await lotByCode(t.db, h.gloves.id, 'IDEM-1');
      expect(await balanceOf(t.db, h.warehouse.id, lot.id)).toBe(12);
      expect((await ledgerOf(lot.id)).map((m) => m.idempotencyKey)).toEqual(['rcv-1']);
    });
  });

  describe('issueStock', () => {
    let h: Hospital;
    beforeAll(async () => {
      h = await buildHospital(t.db, 'ISS');
    });
    const issue = (actor: Actor, input: Record<string, unknown>) => issueStock({ ctx: as(actor), input });

    it('moves a named lot from the warehouse to a ward store: one movement, both balances, one audit row', async () => {
      const lot = await stockUp(h, h.warehouse.id, h.gloves.id, 'ISS-HAPPY', 50);
      const before = await snapshot(t.db);
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
      expect(await balanceOf(t.db, h.warehouse.id, lot.id)).toBe(35);
      expect(await balanceOf(t.db, h.cardioStore.id, lot.id)).toBe(15);
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

    it.each<[string, (h: Hospital, lotId: string) => Record<string, unknown>, string, string]>([
      [
        'a zero quantity',
        (h, lotId) => ({
          fromLocationId: h.warehouse.id,
          toLocationId: h.cardioStore.id,
          lines: [{ itemId: h.gloves.id, lotId, quantity: 0 }],
        }),
        'validation',
        'lines.0.quantity',
      ],
      [
        'a quantity above the limit',
        (h) => ({
          fromLocationId: h.warehouse.id,
          toLocationId: h.cardioStore.id,
          lines: [{ itemId: h.gloves.id, quantity: 1_000_001 }],
        }),
        'validation',
        'lines.0.quantity',
      ],
      [
        'a lot id that is not an id',
        (h) => ({
          fromLocationId: h.warehouse.id,
          toLocationId: h.cardioStore.id,
          lines: [{ itemId: h.gloves.id, lotId: 'L-1', quantity: 1 }],
        }),
        'validation',
        'lines.0.lotId',
      ],
      [
        'no destination',
        (h) => ({ fromLocationId: h.warehouse.id, lines: [{ itemId: h.gloves.id, quantity: 1 }] }),
        'validation',
        'toLocationId',
      ],
      [
        'no lines',
        (h) => ({ fromLocationId: h.warehouse.id, toLocationId: h.cardioStore.id, lines: [] }),
        'validation',
        'lines',
      ],
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
        (h, lotId) => ({
          fromLocationId: h.warehouse.id,
          toLocationId: h.cardioStore.id,
          lines: [
            { itemId: h.gloves.id, lotId, quantity: 1 },
            { itemId: h.syringe.id, lotId, quantity: 1 },
          ],
        }),
        'validation',
        'lines.1.lotId',
      ],
    ])('refuses %s, naming the field, and writes nothing', async (_, input, key, field) => {
      const lot = await stockUp(h, h.warehouse.id, h.gloves.id, `ISS-BAD-${field}-${key}`.slice(0, 20), 10);
      await failsWithoutTrace(t.db, () => issue(h.actors.warehouse, input(h, lot.id)), {
        code: 'validation',
        key: key as 'validation',
        field,
      });
    });

    it('refuses an unknown lot, item or destination, or another organisation’s, as not found, writing nothing', async () => {
      await stockUp(h, h.warehouse.id, h.gloves.id, 'ISS-NF', 5);
      const base = { fromLocationId: h.warehouse.id, toLocationId: h.cardioStore.id };
      await failsWithoutTrace(
        t.db,
        () => issue(h.actors.warehouse, { ...base, lines: [{ itemId: h.gloves.id, lotId: missing, quantity: 1 }] }),
        { code: 'not_found' },
      );
      await failsWithoutTrace(
        t.db,
        () => issue(h.actors.warehouse, { ...base, lines: [{ itemId: missing, quantity: 1 }] }),
        { code: 'not_found' },
      );
      await failsWithoutTrace(
        t.db,
        () => issue(h.actors.warehouse, { ...base, lines: [{ itemId: other.gloves.id, quantity: 1 }] }),
        { code: 'not_found' },
      );
      await failsWithoutTrace(
        t.db,
        () =>
          issue(h.actors.warehouse, { ...base, toLocationId: missing, lines: [{ itemId: h.gloves.id, quantity: 1 }] }),
        { code: 'not_found' },
      );
      // Stock never crosses organisations by an issue: their ward store does not exist for us.
      await failsWithoutTrace(
        t.db,
        () =>
          issue(h.actors.warehouse, {
            ...base,
            toLocationId: other.cardioStore.id,
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
        t.db,
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
        t.db,
        () =>
          issue(h.actors[who], {
            fromLocationId: h[where].id,
            toLocationId: h.cardioStore.id,
            lines: [{ itemId: h.gloves.id, lotId: lot.id, quantity: 1 }],
          }),
        { code: 'forbidden' },
      );
    });

    it('rolls back a two-line issue whose second line lacks stock: the first line’s move does not persist', async () => {
      const plenty = await stockUp(h, h.warehouse.id, h.gloves.id, 'ISS-PLENTY', 50);
      const scarce = await stockUp(h, h.warehouse.id, h.syringe.id, 'ISS-SCARCE', 10);
      const error = await failsWithoutTrace(
        t.db,
        () =>
          issue(h.actors.warehouse, {
            fromLocationId: h.warehouse.id,
            toLocationId: h.cardioStore.id,
            lines: [
              { itemId: h.gloves.id, lotId: plenty.id, quantity: 5 },
              { itemId: h.syringe.id, lotId: scarce.id, quantity: 30 },
            ],
          }),
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
      expect(await balanceOf(t.db, h.warehouse.id, plenty.id)).toBe(50);
      expect(await balanceOf(t.db, h.cardioStore.id, plenty.id)).toBe(0);
    });

    it('rolls back a FEFO issue whose second item lacks stock, reporting what was available', async () => {
      const item = await newItem(h, 'ISS-FEFO-2');
      await stockUp(h, h.warehouse.id, h.gloves.id, 'ISS-FEFO-G', 5);
      await stockUp(h, h.warehouse.id, item.id, 'A', 3);
      await stockUp(h, h.warehouse.id, item.id, 'B', 4);
      const error = await failsWithoutTrace(
        t.db,
        () =>
          issue(h.actors.warehouse, {
            fromLocationId: h.warehouse.id,
            toLocationId: h.cardioStore.id,
            lines: [
              { itemId: h.gloves.id, quantity: 1 },
              { itemId: item.id, quantity: 8 },
            ],
          }),
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
      const first = await issue(h.actors.warehouse, input);
      const before = await snapshot(t.db);
      expect(await issue(h.actors.warehouse, input)).toEqual({ ...first, replayed: true });
      expect(await snapshot(t.db)).toEqual(before);
      await failsWithoutTrace(t.db, () => issue(h.actors.warehouse, { ...input, toLocationId: h.surgery.id }), {
        code: 'conflict',
        key: 'idempotency_mismatch',
        field: 'idempotencyKey',
      });
      await failsWithoutTrace(t.db, () => transferStock({ ctx: as(h.actors.warehouse), input }), {
        code: 'conflict',
        key: 'idempotency_mismatch',
      });
      expect(await balanceOf(t.db, h.warehouse.id, lot.id)).toBe(16);
      expect(await ledgerOf(lot.id)).toHaveLength(2);
    });
  });

  describe('FEFO', () => {
    let h: Hospital;
    beforeAll(async () => {
      h = await buildHospital(t.db, 'FEFO');
    });
    const issueFefo = (itemId: string, quantity: number) =>
      issueStock({
        ctx: as(h.actors.warehouse),
        input: { fromLocationId: h.warehouse.id, toLocationId: h.cardioStore.id, lines: [{ itemId, quantity }] },
      });

    it('picks the earliest expiry first and skips expired, quarantined and recalled lots', async () => {
      const item = await newItem(h, 'FEFO-1');
      const lots = {
        expired: await stockUp(h, h.warehouse.id, item.id, 'EXPIRED', 5, '2026-11-22'),
        today: await stockUp(h, h.warehouse.id, item.id, 'TODAY', 3, '2026-11-23'),
        early: await stockUp(h, h.warehouse.id, item.id, 'EARLY', 4, '2027-01-31'),
        quarantined: await stockUp(h, h.warehouse.id, item.id, 'QUAR', 10, '2026-12-01', 'quarantined'),
        recalled: await stockUp(h, h.warehouse.id, item.id, 'RECALL', 10, '2026-12-15', 'recalled'),
        markedExpired: await stockUp(h, h.warehouse.id, item.id, 'MARKED', 6, '2027-02-01', 'expired'),
        late: await stockUp(h, h.warehouse.id, item.id, 'LATE', 20, '2028-01-31'),
        noExpiry: await stockUp(h, h.warehouse.id, item.id, 'NOEXP', 7, null),
        elsewhere: await stockUp(h, h.pharmacy.id, item.id, 'ELSEWHERE', 50, '2026-12-02'),
      };
      const error = await failsWithoutTrace(t.db, () => issueFefo(item.id, 35), {
        code: 'conflict',
        key: 'insufficient_stock',
      });
      expect(error.context).toMatchObject({ requested: 35, available: 34 });

      const result = await issueFefo(item.id, 30);
      expect(result.movements.map((m) => [m.lotId, m.quantity])).toEqual([
        [lots.today.id, 3],
        [lots.early.id, 4],
        [lots.late.id, 20],
        [lots.noExpiry.id, 3],
      ]);
      expect(result.movements.every((m) => m.kind === 'issue' && m.unitPrice === '0.2500')).toBe(true);
      expect(await balanceOf(t.db, h.warehouse.id, lots.noExpiry.id)).toBe(4);
      for (const untouched of [lots.expired, lots.quarantined, lots.recalled, lots.markedExpired]) {
        expect(await balanceOf(t.db, h.cardioStore.id, untouched.id)).toBe(0);
      }
      expect(await balanceOf(t.db, h.pharmacy.id, lots.elsewhere.id)).toBe(50);
    });

    it('breaks expiry ties by lot code', async () => {
      const item = await newItem(h, 'FEFO-TIE');
      const b = await stockUp(h, h.warehouse.id, item.id, 'T-B', 5, '2027-03-31');
      const a = await stockUp(h, h.warehouse.id, item.id, 'T-A', 5, '2027-03-31');
      expect((await issueFefo(item.id, 7)).movements.map((m) => [m.lotId, m.quantity])).toEqual([
        [a.id, 5],
        [b.id, 2],
      ]);
    });

    it('leaves to FEFO only what earlier lines of the same request did not already take by lot', async () => {
      const item = await newItem(h, 'FEFO-NAMED');
      const early = await stockUp(h, h.warehouse.id, item.id, 'N-EARLY', 4, '2027-01-31');
      const late = await stockUp(h, h.warehouse.id, item.id, 'N-LATE', 10, '2027-06-30');
      const result = await issueStock({
        ctx: as(h.actors.warehouse),
        input: {
          fromLocationId: h.warehouse.id,
          toLocationId: h.cardioStore.id,
          lines: [
            { itemId: item.id, lotId: early.id, quantity: 4 },
            { itemId: item.id, quantity: 5 },
          ],
        },
      });
      expect(result.movements.map((m) => [m.lotId, m.quantity])).toEqual([
        [early.id, 4],
        [late.id, 5],
      ]);
      expect(await balanceOf(t.db, h.warehouse.id, late.id)).toBe(5);
    });

    it('applies FEFO to consumption too', async () => {
      const item = await newItem(h, 'FEFO-CONS');
      const expired = await stockUp(h, h.cabinet.id, item.id, 'C-EXP', 5, '2026-11-01');
      const soon = await stockUp(h, h.cabinet.id, item.id, 'C-SOON', 2, '2026-12-01');
      const later = await stockUp(h, h.cabinet.id, item.id, 'C-LATER', 5, '2027-12-01');
      const result = await recordConsumption({
        ctx: as(h.actors.device, 'mqtt'),
        input: { locationId: h.cabinet.id, lines: [{ itemId: item.id, quantity: 3 }] },
      });
      expect(result.movements.map((m) => [m.lotId, m.quantity, m.toLocationId])).toEqual([
        [soon.id, 2, null],
        [later.id, 1, null],
      ]);
      expect(await balanceOf(t.db, h.cabinet.id, expired.id)).toBe(5);
    });
  });

  describe('transferStock', () => {
    let h: Hospital;
    beforeAll(async () => {
      h = await buildHospital(t.db, 'TRF');
    });
    const transfer = (actor: Actor, input: Record<string, unknown>, channel: Channel = 'http') =>
      transferStock({ ctx: as(actor, channel), input });

    it('lets a nurse move stock from her ward store to her cabinet', async () => {
      const lot = await stockUp(h, h.cardioStore.id, h.gloves.id, 'TRF-HAPPY', 12);
      const before = await snapshot(t.db);
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
      expect([await balanceOf(t.db, h.cardioStore.id, lot.id), await balanceOf(t.db, h.cabinet.id, lot.id)]).toEqual([
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
      await failsWithoutTrace(t.db, () => transfer(h.actors.nurse, input(h, lot.id)), {
        code: 'validation',
        key: key as 'validation',
        field,
      });
    });

    it('refuses a destination of another organisation as not found, writing nothing', async () => {
      const lot = await stockUp(h, h.cardioStore.id, h.gloves.id, 'TRF-ORG', 3);
      await failsWithoutTrace(
        t.db,
        () =>
          transfer(h.actors.nurse, {
            fromLocationId: h.cardioStore.id,
            toLocationId: other.cabinet.id,
            lines: [{ itemId: h.gloves.id, lotId: lot.id, quantity: 1 }],
          }),
        { code: 'not_found' },
      );
    });

    it('refuses to transfer a quarantined lot', async () => {
      const lot = await stockUp(h, h.cardioStore.id, h.gloves.id, 'TRF-QUAR', 3, '2027-06-30', 'quarantined');
      await failsWithoutTrace(
        t.db,
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
        t.db,
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
        t.db,
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
      expect(await balanceOf(t.db, h.cabinet.id, first.id)).toBe(0);
    });

    it('replays a retry with the same key and refuses the key with another payload', async () => {
      const lot = await stockUp(h, h.cardioStore.id, h.gloves.id, 'TRF-IDEM', 10);
      const input = {
        fromLocationId: h.cardioStore.id,
        toLocationId: h.cabinet.id,
        idempotencyKey: 'trf-1',
        lines: [{ itemId: h.gloves.id, lotId: lot.id, quantity: 2 }],
      };
      const first = await transfer(h.actors.nurse, input);
      const before = await snapshot(t.db);
      expect(await transfer(h.actors.nurse, input)).toEqual({ ...first, replayed: true });
      expect(await snapshot(t.db)).toEqual(before);
      await failsWithoutTrace(t.db, () => transfer(h.actors.nurse, { ...input, reason: 'diverso' }), {
        code: 'conflict',
        key: 'idempotency_mismatch',
      });
      expect(await balanceOf(t.db, h.cabinet.id, lot.id)).toBe(2);
    });
  });

  describe('returnStock', () => {
    let h: Hospital;
    beforeAll(async () => {
      h = await buildHospital(t.db, 'RET');
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
      const before = await snapshot(t.db);
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
      expect([await balanceOf(t.db, h.cardioStore.id, lot.id), await balanceOf(t.db, h.warehouse.id, lot.id)]).toEqual([
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
      await failsWithoutTrace(t.db, () => giveBack(h.actors.nurse, input(h, lot.id)), { code: 'validation', field });
    });

    it.each<[Who]>([['otherNurse'], ['device'], ['homeCare'], ['pharmacist']])(
      'forbids the %s to return from the cardiology store, writing nothing',
      async (who) => {
        const lot = await stockUp(h, h.cardioStore.id, h.gloves.id, `RET-F-${who}`, 3);
        await failsWithoutTrace(
          t.db,
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
        t.db,
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
      expect(await balanceOf(t.db, h.cardioStore.id, first.id)).toBe(4);
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
      const first = await giveBack(h.actors.nurse, input);
      const before = await snapshot(t.db);
      expect(await giveBack(h.actors.nurse, input)).toEqual({ ...first, replayed: true });
      expect(await snapshot(t.db)).toEqual(before);
      await failsWithoutTrace(t.db, () => giveBack(h.actors.nurse, { ...input, reason: 'altro' }), {
        code: 'conflict',
        key: 'idempotency_mismatch',
      });
      expect(await balanceOf(t.db, h.cardioStore.id, lot.id)).toBe(7);
    });
  });

  describe('recordConsumption', () => {
    let h: Hospital;
    beforeAll(async () => {
      h = await buildHospital(t.db, 'CON');
    });
    const consume = (actor: Actor, input: Record<string, unknown>, channel: Channel = 'http') =>
      recordConsumption({ ctx: as(actor, channel), input });

    it('lets the cabinet’s device record consumption over MQTT: stock leaves the ledger', async () => {
      const lot = await stockUp(h, h.cabinet.id, h.gloves.id, 'CON-HAPPY', 10);
      const before = await snapshot(t.db);
      const result = await consume(
        h.actors.device,
        {
          locationId: h.cabinet.id,
          documentType: 'PRELIEVO',
          documentId: 'P-1',
          lines: [{ itemId: h.gloves.id, lotId: lot.id, quantity: 2 }],
        },
        'mqtt',
      );
      expect(result.movements).toEqual([
        expect.objectContaining({
          kind: 'consumption',
          lotId: lot.id,
          quantity: 2,
          fromLocationId: h.cabinet.id,
          toLocationId: null,
          documentId: 'P-1',
          actorId: h.actors.device.userId,
          channel: 'mqtt',
        }),
      ]);
      expect(await balanceOf(t.db, h.cabinet.id, lot.id)).toBe(8);
      await expectWrote(before, 1);
      expect(await auditRows('stock.consume', String(result.movements[0]!.id))).toEqual([
        expect.objectContaining({
          actorId: h.actors.device.userId,
          channel: 'mqtt',
          detail: { movementIds: [result.movements[0]!.id], location: h.cabinet.id },
        }),
      ]);
    });

    it('lets home care record consumption at a patient’s home', async () => {
      const lot = await stockUp(h, h.home.id, h.syringe.id, 'CON-HOME', 5);
      await consume(h.actors.homeCare, { locationId: h.home.id, lines: [{ itemId: h.syringe.id, quantity: 5 }] });
      expect(await balanceOf(t.db, h.home.id, lot.id)).toBe(0);
    });

    it.each<[string, (h: Hospital, lotId: string) => Record<string, unknown>, string, string]>([
      [
        'a zero quantity',
        (h, lotId) => ({ locationId: h.cabinet.id, lines: [{ itemId: h.gloves.id, lotId, quantity: 0 }] }),
        'validation',
        'lines.0.quantity',
      ],
      [
        'a location that is not an id',
        (h, lotId) => ({ locationId: 'ARM1', lines: [{ itemId: h.gloves.id, lotId, quantity: 1 }] }),
        'validation',
        'locationId',
      ],
      [
        'no item',
        (h, lotId) => ({ locationId: h.cabinet.id, lines: [{ lotId, quantity: 1 }] }),
        'validation',
        'lines.0.itemId',
      ],
      [
        'a lot of another item',
        (h, lotId) => ({ locationId: h.cabinet.id, lines: [{ itemId: h.syringe.id, lotId, quantity: 1 }] }),
        'validation',
        'lines.0.lotId',
      ],
    ])('refuses %s, naming the field, and writes nothing', async (_, input, key, field) => {
      const lot = await stockUp(h, h.cabinet.id, h.gloves.id, `CON-BAD-${field}`.slice(0, 18) + _.length, 3);
      await failsWithoutTrace(t.db, () => consume(h.actors.nurse, input(h, lot.id)), {
        code: 'validation',
        key: key as 'validation',
        field,
      });
    });

    it('refuses to record consumption of an expired lot', async () => {
      const lot = await stockUp(h, h.cabinet.id, h.gloves.id, 'CON-EXP', 3, '2026-11-22');
      const error = await failsWithoutTrace(
        t.db,
        () =>
          consume(h.actors.device, {
            locationId: h.cabinet.id,
            lines: [{ itemId: h.gloves.id, lotId: lot.id, quantity: 1 }],
          }),
        {
          code: 'precondition_failed',
          key: 'lot_expired',
          field: 'lines.0.lotId',
        },
      );
      expect(error.params).toEqual({ lotCode: 'CON-EXP', expiry: '2026-11-22' });
    });

    it.each<[Who, 'cardioStore' | 'surgery' | 'home' | 'cabinet']>([
      ['device', 'cardioStore'],
      ['device', 'surgery'],
      ['nurse', 'home'],
      ['otherNurse', 'cabinet'],
      ['homeCare', 'cabinet'],
      ['warehouse', 'cabinet'],
    ])('forbids the %s to record consumption at the %s, writing nothing', async (who, where) => {
      const lot = await stockUp(h, h[where].id, h.gloves.id, `CON-F-${who}-${where}`.slice(0, 20), 3);
      await failsWithoutTrace(
        t.db,
        () =>
          consume(h.actors[who], {
            locationId: h[where].id,
            lines: [{ itemId: h.gloves.id, lotId: lot.id, quantity: 1 }],
          }),
        { code: 'forbidden' },
      );
    });

    it('forbids the device anything but consumption, even at its own cabinet', async () => {
      const lot = await stockUp(h, h.cabinet.id, h.gloves.id, 'CON-DEV', 3);
      const line = [{ itemId: h.gloves.id, lotId: lot.id, quantity: 1 }];
      await failsWithoutTrace(
        t.db,
        () =>
          transferStock({
            ctx: as(h.actors.device),
            input: { fromLocationId: h.cabinet.id, toLocationId: h.cardioStore.id, lines: line },
          }),
        { code: 'forbidden' },
      );
      await failsWithoutTrace(
        t.db,
        () =>
          adjustStock({
            ctx: as(h.actors.device),
            input: { locationId: h.cabinet.id, lotId: lot.id, countedQuantity: 0, reason: 'x' },
          }),
        { code: 'forbidden' },
      );
      await failsWith(getStock({ ctx: as(h.actors.device), input: { locationId: h.cabinet.id } }), {
        code: 'forbidden',
      });
    });

    it('rolls back a two-line consumption whose second line lacks stock', async () => {
      const first = await stockUp(h, h.cabinet.id, h.gloves.id, 'CON-ONE', 4);
      const second = await stockUp(h, h.cabinet.id, h.syringe.id, 'CON-TWO', 1);
      await failsWithoutTrace(
        t.db,
        () =>
          consume(h.actors.device, {
            locationId: h.cabinet.id,
            lines: [
              { itemId: h.gloves.id, lotId: first.id, quantity: 4 },
              { itemId: h.syringe.id, lotId: second.id, quantity: 2 },
            ],
          }),
        { code: 'conflict', key: 'insufficient_stock' },
      );
      expect(await balanceOf(t.db, h.cabinet.id, first.id)).toBe(4);
    });

    it('replays a device’s retried message with the same key, and refuses the key with another payload', async () => {
      const lot = await stockUp(h, h.cabinet.id, h.gloves.id, 'CON-IDEM', 10);
      const input = {
        locationId: h.cabinet.id,
        idempotencyKey: 'mqtt-msg-1',
        lines: [{ itemId: h.gloves.id, lotId: lot.id, quantity: 1 }],
      };
      const first = await consume(h.actors.device, input, 'mqtt');
      const before = await snapshot(t.db);
      expect(await consume(h.actors.device, input, 'mqtt')).toEqual({ ...first, replayed: true });
      expect(await snapshot(t.db)).toEqual(before);
      await failsWithoutTrace(
        t.db,
        () => consume(h.actors.device, { ...input, lines: [{ ...input.lines[0]!, quantity: 2 }] }, 'mqtt'),
        { code: 'conflict', key: 'idempotency_mismatch' },
      );
      expect(await balanceOf(t.db, h.cabinet.id, lot.id)).toBe(9);
    });

    it('lets an assistant act for its user with the user’s grants and no more', async () => {
      const lot = await stockUp(h, h.cabinet.id, h.gloves.id, 'CON-BOT', 5);
      const { token } = await createApiToken({
        ctx: h.sys,
        input: { userId: h.actors.nurse.userId, name: 'Slack bot', kind: 'assistant' },
      });
      const assistant = (await authenticateToken({ db: t.db }, token, 'slack'))!;
      expect(assistant).toMatchObject({
        userId: h.actors.nurse.userId,
        organisationId: h.org.id,
        via: 'assistant',
        channel: 'slack',
      });
      expect(assistant.grants).toEqual(h.actors.nurse.grants);
      const result = await recordConsumption({
        ctx: contextFor(t.db, assistant),
        input: { locationId: h.cabinet.id, lines: [{ itemId: h.gloves.id, lotId: lot.id, quantity: 1 }] },
      });
      expect(result.movements[0]).toMatchObject({ actorId: h.actors.nurse.userId, channel: 'slack' });
      await failsWithoutTrace(
        t.db,
        () =>
          recordConsumption({
            ctx: contextFor(t.db, assistant),
            input: { locationId: h.home.id, lines: [{ itemId: h.gloves.id, quantity: 1 }] },
          }),
        { code: 'forbidden' },
      );
      await failsWithoutTrace(
        t.db,
        () =>
          issueStock({
            ctx: contextFor(t.db, assistant),
            input: {
              fromLocationId: h.warehouse.id,
              toLocationId: h.cardioStore.id,
              lines: [{ itemId: h.gloves.id, quantity: 1 }],
            },
          }),
        { code: 'forbidden' },
      );
    });
  });

  describe('adjustStock', () => {
    let h: Hospital;
    beforeAll(async () => {
      h = await buildHospital(t.db, 'ADJ');
    });
    const adjust = (actor: Actor, input: Record<string, unknown>) => adjustStock({ ctx: as(actor), input });

    it.each([
      ['down', 7, { kind: 'adjustment', quantity: 3, fromLocationId: 'store', toLocationId: null }],
      ['up', 12, { kind: 'adjustment', quantity: 2, fromLocationId: null, toLocationId: 'store' }],
    ])('books the difference of a count %s as one adjustment', async (direction, counted, shape) => {
      const lot = await stockUp(h, h.cardioStore.id, h.gloves.id, `ADJ-${direction}`, 10);
      const before = await snapshot(t.db);
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
      expect(await balanceOf(t.db, h.cardioStore.id, lot.id)).toBe(counted);
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
      const before = await snapshot(t.db);
      const result = await adjust(h.actors.nurse, {
        locationId: h.cardioStore.id,
        lotId: lot.id,
        countedQuantity: 10,
        reason: 'inventario',
      });
      expect(result).toEqual({ replayed: false, previousQuantity: 10, countedQuantity: 10, movements: [] });
      await expectWrote(before, 0);
      expect((await snapshot(t.db)).balances).toEqual(before.balances);
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
      expect(await balanceOf(t.db, h.cabinet.id, lot.id)).toBe(3);
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
      await failsWithoutTrace(t.db, () => adjust(h.actors.nurse, input(h, lot.id)), { code: 'validation', field });
    });

    it('refuses an unknown lot or another organisation’s lot as not found, releasing the idempotency key', async () => {
      await receiveGoods({
        ctx: as(other.actors.admin),
        input: { locationId: other.warehouse.id, lines: [{ itemId: other.gloves.id, lotCode: 'THEIRS', quantity: 1 }] },
      });
      const theirs = await lotByCode(t.db, other.gloves.id, 'THEIRS');
      const input = { locationId: h.cardioStore.id, countedQuantity: 1, reason: 'x', idempotencyKey: 'adj-missing' };
      await failsWithoutTrace(t.db, () => adjust(h.actors.nurse, { ...input, lotId: missing }), { code: 'not_found' });
      await failsWithoutTrace(t.db, () => adjust(h.actors.nurse, { ...input, lotId: theirs.id }), {
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
        t.db,
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
      const first = await adjust(h.actors.nurse, input);
      const before = await snapshot(t.db);
      // A replay answers the first count, even though a new count of 8 would now find nothing to adjust.
      expect(await adjust(h.actors.nurse, input)).toEqual({ ...first, replayed: true });
      expect(await snapshot(t.db)).toEqual(before);
      await failsWithoutTrace(t.db, () => adjust(h.actors.nurse, { ...input, countedQuantity: 7 }), {
        code: 'conflict',
        key: 'idempotency_mismatch',
      });
      expect(await balanceOf(t.db, h.cardioStore.id, lot.id)).toBe(8);
    });
  });

  describe('reverseMovement', () => {
    let h: Hospital;
    beforeAll(async () => {
      h = await buildHospital(t.db, 'REV');
    });
    const reverse = (actor: Actor, input: Record<string, unknown>) => reverseMovement({ ctx: as(actor), input });
    /** Stocks a lot at the warehouse and issues `quantity` of it to the cardiology store. */
    const issued = async (code: string, quantity = 10, stock = 30) => {
      const lot = await stockUp(h, h.warehouse.id, h.gloves.id, code, stock);
      const {
        movements: [movement],
      } = await issueStock({
        ctx: as(h.actors.warehouse),
        input: {
          fromLocationId: h.warehouse.id,
          toLocationId: h.cardioStore.id,
          lines: [{ itemId: h.gloves.id, lotId: lot.id, quantity }],
        },
      });
      return { lot, movement: movement! };
    };

    it('undoes an issue with a reversal that swaps its sides, restoring both balances', async () => {
      const { lot, movement } = await issued('REV-HAPPY');
      const before = await snapshot(t.db);
      const result = await reverse(h.actors.warehouse, { movementId: movement.id, reason: 'reparto sbagliato' });
      expect(result).toEqual({
        replayed: false,
        movements: [
          expect.objectContaining({
            kind: 'reversal',
            reversesId: movement.id,
            lotId: lot.id,
            quantity: 10,
            fromLocationId: h.cardioStore.id,
            toLocationId: h.warehouse.id,
            reason: 'reparto sbagliato',
            unitPrice: movement.unitPrice,
            actorId: h.actors.warehouse.userId,
          }),
        ],
      });
      expect([await balanceOf(t.db, h.warehouse.id, lot.id), await balanceOf(t.db, h.cardioStore.id, lot.id)]).toEqual([
        30, 0,
      ]);
      await expectWrote(before, 1);
      expect(await auditRows('movement.reverse', String(movement.id))).toEqual([
        expect.objectContaining({
          actorId: h.actors.warehouse.userId,
          channel: 'http',
          entityType: 'movement',
          detail: {
            reversal: result.movements[0]!.id,
            movementIds: [result.movements[0]!.id],
            reason: 'reparto sbagliato',
          },
        }),
      ]);
    });

    it('undoes a receipt: the goods leave the ledger again', async () => {
      const lot = await stockUp(h, h.warehouse.id, h.syringe.id, 'REV-RCPT', 8);
      const [receipt] = await ledgerOf(lot.id);
      const result = await reverse(h.actors.warehouse, { movementId: receipt!.id, reason: 'DDT registrato due volte' });
      expect(result.movements[0]).toMatchObject({ fromLocationId: h.warehouse.id, toLocationId: null, quantity: 8 });
      expect(await balanceOf(t.db, h.warehouse.id, lot.id)).toBe(0);
    });

    it('refuses a second reversal of the same movement, and a reversal of a reversal', async () => {
      const { movement } = await issued('REV-TWICE');
      const {
        movements: [reversal],
      } = await reverse(h.actors.warehouse, { movementId: movement.id, reason: 'errore' });
      await failsWithoutTrace(t.db, () => reverse(h.actors.warehouse, { movementId: movement.id, reason: 'ancora' }), {
        code: 'conflict',
        key: 'already_reversed',
        field: 'movementId',
      });
      // The reversal's source is the ward store, outside the warehouse's scope: ask the admin.
      await failsWithoutTrace(
        t.db,
        () => reverse(h.actors.admin, { movementId: reversal!.id, reason: 'annulla storno' }),
        { code: 'precondition_failed', key: 'cannot_reverse_reversal', field: 'movementId' },
      );
    });

    it('refuses to reverse an issue whose goods were already consumed, releasing the idempotency key', async () => {
      const { lot, movement } = await issued('REV-USED', 10);
      await recordConsumption({
        ctx: as(h.actors.nurse),
        input: { locationId: h.cardioStore.id, lines: [{ itemId: h.gloves.id, lotId: lot.id, quantity: 4 }] },
      });
      const error = await failsWithoutTrace(
        t.db,
        () => reverse(h.actors.warehouse, { movementId: movement.id, reason: 'errore', idempotencyKey: 'rev-used' }),
        { code: 'conflict', key: 'insufficient_stock' },
      );
      expect(error.context).toMatchObject({ lotId: lot.id, locationId: h.cardioStore.id, requested: 10, available: 6 });
    });

    it.each<[string, Record<string, unknown>, string]>([
      ['a zero id', { movementId: 0, reason: 'x' }, 'movementId'],
      ['an id that is not a number', { movementId: 'abc', reason: 'x' }, 'movementId'],
      ['a fractional id', { movementId: 1.5, reason: 'x' }, 'movementId'],
      ['no reason', { movementId: 1 }, 'reason'],
      ['a blank reason', { movementId: 1, reason: ' ' }, 'reason'],
    ])('refuses %s, naming the field, and writes nothing', async (_, input, field) => {
      await failsWithoutTrace(t.db, () => reverse(h.actors.warehouse, input), { code: 'validation', field });
    });

    it('refuses an unknown movement, or another organisation’s, as not found', async () => {
      await failsWithoutTrace(t.db, () => reverse(h.actors.warehouse, { movementId: 2 ** 40, reason: 'x' }), {
        code: 'not_found',
      });
      const { movement } = await issued('REV-THEIRS');
      await failsWithoutTrace(t.db, () => reverse(other.actors.admin, { movementId: movement.id, reason: 'x' }), {
        code: 'not_found',
      });
    });

    it.each<[Who]>([['nurse'], ['pharmacist'], ['device']])(
      'forbids the %s to reverse a warehouse issue, writing nothing',
      async (who) => {
        const { movement } = await issued(`REV-F-${who}`);
        await failsWithoutTrace(t.db, () => reverse(h.actors[who], { movementId: movement.id, reason: 'x' }), {
          code: 'forbidden',
        });
      },
    );

    it('replays a retry with the same key (not "already reversed"), and refuses the key with another reason', async () => {
      const { lot, movement } = await issued('REV-IDEM');
      const input = { movementId: movement.id, reason: 'errore', idempotencyKey: 'rev-1' };
      const first = await reverse(h.actors.warehouse, input);
      const before = await snapshot(t.db);
      expect(await reverse(h.actors.warehouse, input)).toEqual({ ...first, replayed: true });
      expect(await snapshot(t.db)).toEqual(before);
      await failsWithoutTrace(t.db, () => reverse(h.actors.warehouse, { ...input, reason: 'altro' }), {
        code: 'conflict',
        key: 'idempotency_mismatch',
      });
      expect((await ledgerOf(lot.id)).map((m) => m.kind)).toEqual(['receipt', 'issue', 'reversal']);
    });
  });

  describe('reads', () => {
    let h: Hospital;
    let item: Awaited<ReturnType<typeof newItem>>;
    /** Movement ids in the order they were written: receipts, issues, a transfer and consumptions. */
    const m: Record<string, number> = {};
    beforeAll(async () => {
      h = await buildHospital(t.db, 'READ');
      item = await newItem(h, 'READ-1');
      const receive = async (
        key: string,
        locationId: string,
        lotCode: string,
        quantity: number,
        expiry: string,
        status?: LotStatus,
      ) => {
        const lot = await stockUp(h, locationId, item.id, lotCode, quantity, expiry, status);
        m[key] = (await ledgerOf(lot.id)).at(-1)!.id;
        return lot;
      };
      const wh = as(h.actors.warehouse);
      await receive('receiptW', h.warehouse.id, 'W-AV', 100, '2027-06-30');
      await receive('receiptS', h.cardioStore.id, 'S-AV', 10, '2027-06-30');
      await receive('receiptQ', h.cardioStore.id, 'S-QU', 4, '2027-06-30', 'quarantined');
      await receive('receiptR', h.cardioStore.id, 'S-RC', 3, '2027-06-30', 'recalled');
      await receive('receiptE', h.cardioStore.id, 'S-EX', 2, '2026-11-20');
      await receive('receiptC', h.cabinet.id, 'C-AV', 5, '2028-01-31');
      await receive('receiptP', h.pharmacy.id, 'P-AV', 6, '2027-06-30');
      const lotW = await lotByCode(t.db, item.id, 'W-AV');
      const go = async (key: string, run: Promise<{ movements: Array<{ id: number }> }>) => {
        m[key] = (await run).movements[0]!.id;
      };
      await go(
        'issueCardio',
        issueStock({
          ctx: wh,
          input: {
            fromLocationId: h.warehouse.id,
            toLocationId: h.cardioStore.id,
            lines: [{ itemId: item.id, lotId: lotW.id, quantity: 10 }],
          },
        }),
      );
      await go(
        'issueSurgery',
        issueStock({
          ctx: wh,
          input: {
            fromLocationId: h.warehouse.id,
            toLocationId: h.surgery.id,
            lines: [{ itemId: item.id, lotId: lotW.id, quantity: 8 }],
          },
        }),
      );
      await go(
        'transferCabinet',
        transferStock({
          ctx: as(h.actors.nurse),
          input: {
            fromLocationId: h.cardioStore.id,
            toLocationId: h.cabinet.id,
            lines: [{ itemId: item.id, lotId: lotW.id, quantity: 4 }],
          },
        }),
      );
      await go(
        'consumeCabinet',
        recordConsumption({
          ctx: as(h.actors.device),
          input: { locationId: h.cabinet.id, lines: [{ itemId: item.id, lotId: lotW.id, quantity: 1 }] },
        }),
      );
      await go(
        'consumeSurgery',
        recordConsumption({
          ctx: as(h.actors.otherNurse),
          input: { locationId: h.surgery.id, lines: [{ itemId: item.id, lotId: lotW.id, quantity: 2 }] },
        }),
      );
      await go(
        'returnCardio',
        returnStock({
          ctx: as(h.actors.nurse),
          input: {
            fromLocationId: h.cardioStore.id,
            toLocationId: h.warehouse.id,
            reason: 'eccedenza',
            lines: [{ itemId: item.id, lotId: lotW.id, quantity: 1 }],
          },
        }),
      );
      await go(
        'issueHome',
        issueStock({
          ctx: wh,
          input: {
            fromLocationId: h.warehouse.id,
            toLocationId: h.home.id,
            lines: [{ itemId: item.id, lotId: lotW.id, quantity: 3 }],
          },
        }),
      );
    });
    const ids = (...keys: string[]) => keys.map((k) => m[k]!);

    describe('getStock', () => {
      it('splits stock on hand into available, quarantined, recalled and expired', async () => {
        const stock = await getStock({
          ctx: as(h.actors.nurse),
          input: { locationId: h.cardioStore.id, itemId: item.id, includeDescendants: false },
        });
        expect(stock.totals).toEqual([
          { itemId: item.id, itemCode: 'READ-1', onHand: 24, available: 15, quarantined: 4, recalled: 3, expired: 2 },
        ]);
        expect(stock.data.map((r) => [r.lotCode, r.status, r.onHand, r.available])).toEqual([
          ['S-EX', 'expired', 2, 0],
          ['S-AV', 'available', 10, 10],
          ['S-QU', 'quarantined', 4, 0],
          ['S-RC', 'recalled', 3, 0],
          ['W-AV', 'available', 5, 5],
        ]);
        expect(stock.nextCursor).toBeNull();
      });

      it('includes the locations below by default', async () => {
        const stock = await getStock({ ctx: as(h.actors.nurse), input: { locationId: h.cardio.id, itemId: item.id } });
        expect(stock.totals[0]).toMatchObject({ onHand: 24 + 5 + 3, available: 15 + 5 + 3 });
        expect(new Set(stock.data.map((r) => r.locationCode))).toEqual(new Set(['CARD-MR', 'CARD-ARM1']));
      });

      it('gives each item on the page its totals over the whole selection, and summaries of named items', async () => {
        const first = await getStock({ ctx: as(h.actors.nurse), input: { locationId: h.cardio.id, limit: 1 } });
        expect(first.data).toHaveLength(1);
        expect(first.totals).toEqual([
          expect.objectContaining({ itemId: item.id, onHand: 24 + 5 + 3, available: 15 + 5 + 3, expired: 2 }),
        ]);
        expect(first.nextCursor).not.toBeNull();
        const summary = await stockTotals({
          ctx: as(h.actors.nurse),
          input: { locationId: h.cardio.id, itemIds: [item.id] },
        });
        expect(summary).toEqual(first.totals);
        await failsWith(
          stockTotals({ ctx: as(h.actors.nurse), input: { locationId: h.surgery.id, itemIds: [item.id] } }),
          { code: 'forbidden' },
        );
      });

      it('lets a ward nurse read the warehouse and pharmacy, but not another ward', async () => {
        const warehouse = await getStock({
          ctx: as(h.actors.nurse),
          input: { locationId: h.warehouse.id, itemId: item.id },
        });
        expect(warehouse.data.map((r) => [r.lotCode, r.onHand])).toEqual([['W-AV', 100 - 10 - 8 + 1 - 3]]);
        await failsWith(getStock({ ctx: as(h.actors.nurse), input: { locationId: h.surgery.id } }), {
          code: 'forbidden',
        });
        await failsWith(getStock({ ctx: as(h.actors.nurse), input: { locationId: h.home.id } }), { code: 'forbidden' });
        await failsWith(getStock({ ctx: as(other.actors.admin), input: { locationId: h.warehouse.id } }), {
          code: 'not_found',
        });
      });

      it.each<[Who | 'otherAdmin', string[]]>([
        ['nurse', ['CARD-ARM1', 'CARD-MR', 'FARM', 'MAG']],
        ['otherNurse', ['CHIR', 'FARM', 'MAG']],
        ['homeCare', ['DOM-P001', 'FARM', 'MAG']],
        ['warehouse', ['FARM', 'MAG']],
        ['admin', ['CARD-ARM1', 'CARD-MR', 'CHIR', 'DOM-P001', 'FARM', 'MAG']],
        ['otherAdmin', []],
      ])(
        'without a location, shows the %s its own subtrees plus the open warehouse and pharmacy',
        async (who, codes) => {
          const actor = who === 'otherAdmin' ? other.actors.admin : h.actors[who];
          const stock = await getStock({ ctx: as(actor), input: { itemId: item.id } });
          expect([...new Set(stock.data.map((r) => r.locationCode))].sort()).toEqual(codes);
        },
      );

      it('pages with an opaque cursor', async () => {
        const all = await getStock({ ctx: as(h.actors.admin), input: { itemId: item.id } });
        const pages = [];
        let cursor: string | undefined;
        do {
          const page = await getStock({ ctx: as(h.actors.admin), input: { itemId: item.id, limit: 3, cursor } });
          pages.push(...page.data);
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
        expect(pages).toEqual(all.data);
        expect(all.data.length).toBeGreaterThan(3);
      });

      it.each([
        [{ locationId: 'CARD' }, 'locationId'],
        [{ limit: 0 }, 'limit'],
        [{ limit: 501 }, 'limit'],
      ])('refuses %j', async (input, field) => {
        await failsWith(getStock({ ctx: as(h.actors.admin), input: input as never }), { code: 'validation', field });
      });
    });

    describe('lotHistory', () => {
      it('returns every movement of a lot to a store, oldest first, page by page', async () => {
        const lot = await lotByCode(t.db, item.id, 'W-AV');
        const expected = ids(
          'receiptW',
          'issueCardio',
          'issueSurgery',
          'transferCabinet',
          'consumeCabinet',
          'consumeSurgery',
          'returnCardio',
          'issueHome',
        );
        const first = await lotHistory({ ctx: as(h.actors.pharmacist), input: { lotId: lot.id, limit: 5 } });
        expect(first.lot).toMatchObject({
          id: lot.id,
          lotCode: 'W-AV',
          status: 'available',
          item: { code: 'READ-1', name: 'Articolo READ-1', nameEn: 'Item READ-1' },
        });
        expect(first.data.map((r) => r.id)).toEqual(expected.slice(0, 5));
        expect(first.nextCursor).not.toBeNull();
        const second = await lotHistory({
          ctx: as(h.actors.pharmacist),
          input: { lotId: lot.id, limit: 5, cursor: first.nextCursor! },
        });
        expect(second.data.map((r) => r.id)).toEqual(expected.slice(5));
        expect(second.nextCursor).toBeNull();
        expect([...first.data, ...second.data].map((r) => r.kind)).toEqual([
          'receipt',
          'issue',
          'issue',
          'transfer',
          'consumption',
          'consumption',
          'return',
          'issue',
        ]);
      });

      it('shows a ward nurse the movements at the places she may read, and the other ward only as totals', async () => {
        const lot = await lotByCode(t.db, item.id, 'W-AV');
        const seen = await lotHistory({ ctx: as(h.actors.nurse), input: { lotId: lot.id, limit: 50 } });
        // Everything but the surgery ward's own consumption: the warehouse's movements are open to every member.
        expect(seen.data.map((r) => r.id)).toEqual(
          ids(
            'receiptW',
            'issueCardio',
            'issueSurgery',
            'transferCabinet',
            'consumeCabinet',
            'returnCardio',
            'issueHome',
          ),
        );
        expect(seen.others.map((o) => o.location.id)).toContain(h.surgery.id);
        expect(JSON.stringify(seen.others)).not.toContain(h.actors.otherNurse.userId!);
      });

      it('shows a lot past its expiry as expired', async () => {
        const lot = await lotByCode(t.db, item.id, 'S-EX');
        expect((await lotHistory({ ctx: as(h.actors.nurse), input: { lotId: lot.id } })).lot.status).toBe('expired');
      });

      it('is closed to devices and to other organisations', async () => {
        const lot = await lotByCode(t.db, item.id, 'W-AV');
        await failsWith(lotHistory({ ctx: as(h.actors.device), input: { lotId: lot.id } }), { code: 'forbidden' });
        await failsWith(lotHistory({ ctx: as(other.actors.admin), input: { lotId: lot.id } }), { code: 'not_found' });
        await failsWith(lotHistory({ ctx: as(h.actors.nurse), input: { lotId: 'W-AV' } }), {
          code: 'validation',
          field: 'lotId',
        });
      });
    });

    describe('listMovements', () => {
      const receipts = ['receiptW', 'receiptS', 'receiptQ', 'receiptR', 'receiptE', 'receiptC', 'receiptP'];
      const newestFirst = (keys: string[]) => ids(...keys).sort((a, b) => b - a);
      const list = async (actor: Actor, input: Record<string, unknown> = {}) =>
        (await listMovements({ ctx: as(actor), input: { itemId: item.id, ...input } })).data.map((r) => r.id);

      it.each<[Who | 'otherAdmin', string[]]>([
        [
          'nurse',
          [
            'receiptS',
            'receiptQ',
            'receiptR',
            'receiptE',
            'receiptC',
            'issueCardio',
            'transferCabinet',
            'consumeCabinet',
            'returnCardio',
          ],
        ],
        ['otherNurse', ['issueSurgery', 'consumeSurgery']],
        ['homeCare', ['issueHome']],
        ['warehouse', ['receiptW', 'issueCardio', 'issueSurgery', 'returnCardio', 'issueHome']],
        ['device', []],
        [
          'admin',
          [
            ...receipts,
            'issueCardio',
            'issueSurgery',
            'transferCabinet',
            'consumeCabinet',
            'consumeSurgery',
            'returnCardio',
            'issueHome',
          ],
        ],
        ['otherAdmin', []],
      ])('shows the %s the movements touching its subtrees, newest first', async (who, keys) => {
        const actor = who === 'otherAdmin' ? other.actors.admin : h.actors[who];
        expect(await list(actor)).toEqual(newestFirst(keys));
      });

      it('at one location: the movements in and out of it, if the actor may read it', async () => {
        expect(await list(h.actors.nurse, { locationId: h.cabinet.id })).toEqual(
          newestFirst(['receiptC', 'transferCabinet', 'consumeCabinet']),
        );
        expect(await list(h.actors.nurse, { locationId: h.warehouse.id })).toEqual(
          newestFirst(['receiptW', 'issueCardio', 'issueSurgery', 'returnCardio', 'issueHome']),
        );
        await failsWith(listMovements({ ctx: as(h.actors.nurse), input: { locationId: h.surgery.id } }), {
          code: 'forbidden',
        });
        await failsWith(listMovements({ ctx: as(other.actors.admin), input: { locationId: h.warehouse.id } }), {
          code: 'not_found',
        });
      });

      it('filters by kind and pages newest first', async () => {
        expect(await list(h.actors.admin, { kind: 'issue' })).toEqual(
          newestFirst(['issueCardio', 'issueSurgery', 'issueHome']),
        );
        const seen: number[] = [];
        let cursor: string | undefined;
        do {
          const page = await listMovements({ ctx: as(h.actors.admin), input: { itemId: item.id, limit: 4, cursor } });
          seen.push(...page.data.map((r) => r.id));
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
        expect(seen).toEqual(await list(h.actors.admin));
        await failsWith(listMovements({ ctx: as(h.actors.admin), input: { kind: 'gift' as never } }), {
          code: 'validation',
          field: 'kind',
        });
      });
    });

    describe('searchItems', () => {
      let catheter: { id: string };
      let upc: { id: string };
      let lookalike: { id: string };
      beforeAll(async () => {
        const add = (input: Record<string, unknown>) =>
          createItem({ ctx: h.sys, input: { categoryId: h.category.id, unit: 'pz', ...input } });
        catheter = await add({
          code: 'DM-CAT-PED',
          name: 'Catetere venoso – Età pediatrica',
          nameEn: 'Paediatric venous catheter',
          synonyms: ['CVC pediatrico'],
          gtin: '96385074',
        });
        upc = await add({
          code: 'DM-GARZA',
          name: 'Garza sterile 10x10',
          nameEn: 'Sterile gauze 10x10',
          gtin: '036000291452',
        });
        lookalike = await add({
          code: 'DM-SIR-10-LL',
          name: 'Siringa 10 ml Luer-Lock',
          nameEn: 'Luer-lock syringe 10 ml',
        });
      });
      const search = async (q: string, actor: Actor = h.actors.nurse) =>
        (await searchItems({ ctx: as(actor), input: { q } })).data.map((r) => r.id);

      it.each<[string, (h: Hospital) => string[]]>([
        ['guanti', (h) => [h.gloves.id]], // Italian name
        ['nitrile gloves', (h) => [h.gloves.id]], // English name
        ['gloves medium', (h) => [h.gloves.id]], // synonym
        ['siringhe', (h) => [h.syringe.id]], // synonym
        ['disposable syringe', (h) => [h.syringe.id]],
        ['GUANTI Nitrile', (h) => [h.gloves.id]], // case
        ['dm-gua-m', (h) => [h.gloves.id]], // code
        ['8012345000012', (h) => [h.gloves.id]], // GTIN-13
        ['08012345000012', (h) => [h.gloves.id]], // GTIN-14
        ['guanti siringa', () => []], // every word must match
        ['nothing like this', () => []],
      ])('finds %j', async (q, expected) => {
        expect(await search(q)).toEqual(expected(h));
      });

      it.each(['96385074', '00000096385074', 'età pediatrica', 'ETA PEDIATRICA', 'Catétere', 'cvc', 'paediatric'])(
        'finds the catheter by %j (GTIN-8, accents and case ignored)',
        async (q) => {
          expect(await search(q)).toEqual([catheter.id]);
        },
      );

      it('finds a GTIN-12 item by its code as printed', async () => {
        expect(await search('036000291452')).toEqual([upc.id]);
        expect(await search('00036000291452')).toEqual([upc.id]);
      });

      it('ranks an exact code first', async () => {
        expect(await search('DM-SIR-10')).toEqual([h.syringe.id, lookalike.id]);
        expect(await search('DM-SIR-10-LL')).toEqual([lookalike.id]);
        // A name that starts with the words ranks before one that merely contains them.
        expect(await search('siringa 10')).toEqual([lookalike.id, h.syringe.id]);
      });

      it('matches words at word starts and ranks a whole synonym first ("guanti M" is not "monouso")', async () => {
        expect(await search('guanti M')).toEqual([h.gloves.id]);
        expect(await search('siringhe da 10')).toEqual([h.syringe.id]);
        expect(await search('ringa')).toEqual([]);
      });

      it('searches the actor’s own catalogue only, and does not expose the search text', async () => {
        const found = await searchItems({ ctx: as(h.actors.device), input: { q: 'guanti' } });
        expect(found.data).toEqual([
          expect.objectContaining({ id: h.gloves.id, organisationId: h.org.id, gtin: '08012345000012' }),
        ]);
        expect(found.data[0]).not.toHaveProperty('searchText');
        expect(await search('guanti', other.actors.nurse)).toEqual([other.gloves.id]);
      });
    });
  });
});
