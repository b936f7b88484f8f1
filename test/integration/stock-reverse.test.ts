import { beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../api/core/context.ts';
import { issueStock } from '../../api/stock/issue-stock.ts';
import { recordConsumption } from '../../api/stock/record-consumption.ts';
import { reverseMovement } from '../../api/stock/reverse-movement.ts';
import { buildHospital, type Hospital } from '../helpers/fixture.ts';
import { balanceOf, failsWithoutTrace, snapshot } from '../helpers/ledger.ts';
import { describeStockActions, type Who } from '../helpers/stock-suite.ts';

describeStockActions((s) => {
  const { as, stockUp, auditRows, ledgerOf, expectWrote } = s;

  describe('reverseMovement', () => {
    let h: Hospital;
    beforeAll(async () => {
      h = await buildHospital(s.db, 'REV');
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
      const before = await snapshot(s.db);
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
      expect([await balanceOf(s.db, h.warehouse.id, lot.id), await balanceOf(s.db, h.cardioStore.id, lot.id)]).toEqual([
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
      expect(await balanceOf(s.db, h.warehouse.id, lot.id)).toBe(0);
    });

    it('refuses a second reversal of the same movement, and a reversal of a reversal', async () => {
      const { movement } = await issued('REV-TWICE');
      const {
        movements: [reversal],
      } = await reverse(h.actors.warehouse, { movementId: movement.id, reason: 'errore' });
      await failsWithoutTrace(s.db, () => reverse(h.actors.warehouse, { movementId: movement.id, reason: 'ancora' }), {
        code: 'conflict',
        key: 'already_reversed',
        field: 'movementId',
      });
      // The reversal's source is the ward store, outside the warehouse's scope: ask the admin.
      await failsWithoutTrace(
        s.db,
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
        s.db,
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
      await failsWithoutTrace(s.db, () => reverse(h.actors.warehouse, input), { code: 'validation', field });
    });

    it('refuses an unknown movement, or another organisation’s, as not found', async () => {
      await failsWithoutTrace(s.db, () => reverse(h.actors.warehouse, { movementId: 2 ** 40, reason: 'x' }), {
        code: 'not_found',
      });
      const { movement } = await issued('REV-THEIRS');
      await failsWithoutTrace(s.db, () => reverse(s.other.actors.admin, { movementId: movement.id, reason: 'x' }), {
        code: 'not_found',
      });
    });

    it.each<[Who]>([['nurse'], ['pharmacist'], ['device']])(
      'forbids the %s to reverse a warehouse issue, writing nothing',
      async (who) => {
        const { movement } = await issued(`REV-F-${who}`);
        await failsWithoutTrace(s.db, () => reverse(h.actors[who], { movementId: movement.id, reason: 'x' }), {
          code: 'forbidden',
        });
      },
    );

    it('replays a retry with the same key (not "already reversed"), and refuses the key with another reason', async () => {
      const { lot, movement } = await issued('REV-IDEM');
      const input = { movementId: movement.id, reason: 'errore', idempotencyKey: 'rev-1' };
      await s.expectReplayed(
        (i) => reverse(h.actors.warehouse, i),
        input,
        { ...input, reason: 'altro' },
        { code: 'conflict', key: 'idempotency_mismatch' },
      );
      expect((await ledgerOf(lot.id)).map((m) => m.kind)).toEqual(['receipt', 'issue', 'reversal']);
    });
  });
});
