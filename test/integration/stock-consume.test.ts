import { beforeAll, describe, expect, it } from 'vitest';
import { authenticateToken, createApiToken } from '../../api/access/tokens.ts';
import type { Actor } from '../../api/core/context.ts';
import { adjustStock } from '../../api/stock/adjust-stock.ts';
import { getStock } from '../../api/stock/get-stock.ts';
import { issueStock, transferStock } from '../../api/stock/issue-stock.ts';
import { recordConsumption } from '../../api/stock/record-consumption.ts';
import type { Channel } from '../../db/schema/index.ts';
import { buildHospital, contextFor, type Hospital } from '../helpers/fixture.ts';
import { balanceOf, failsWith, failsWithoutTrace, snapshot } from '../helpers/ledger.ts';
import { describeStockActions, type Who } from '../helpers/stock-suite.ts';

describeStockActions((s) => {
  const { as, stockUp, auditRows, expectWrote } = s;

  describe('recordConsumption', () => {
    let h: Hospital;
    beforeAll(async () => {
      h = await buildHospital(s.db, 'CON');
    });
    const consume = (actor: Actor, input: Record<string, unknown>, channel: Channel = 'http') =>
      recordConsumption({ ctx: as(actor, channel), input });

    it('lets the cabinet’s device record consumption over MQTT: stock leaves the ledger', async () => {
      const lot = await stockUp(h, h.cabinet.id, h.gloves.id, 'CON-HAPPY', 10);
      const before = await snapshot(s.db);
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
      expect(await balanceOf(s.db, h.cabinet.id, lot.id)).toBe(8);
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
      expect(await balanceOf(s.db, h.home.id, lot.id)).toBe(0);
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
      await failsWithoutTrace(s.db, () => consume(h.actors.nurse, input(h, lot.id)), {
        code: 'validation',
        key: key as 'validation',
        field,
      });
    });

    it('refuses to record consumption of an expired lot', async () => {
      const lot = await stockUp(h, h.cabinet.id, h.gloves.id, 'CON-EXP', 3, '2026-11-22');
      const error = await failsWithoutTrace(
        s.db,
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
        s.db,
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
        s.db,
        () =>
          transferStock({
            ctx: as(h.actors.device),
            input: { fromLocationId: h.cabinet.id, toLocationId: h.cardioStore.id, lines: line },
          }),
        { code: 'forbidden' },
      );
      await failsWithoutTrace(
        s.db,
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
        s.db,
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
      expect(await balanceOf(s.db, h.cabinet.id, first.id)).toBe(4);
    });

    it('replays a device’s retried message with the same key, and refuses the key with another payload', async () => {
      const lot = await stockUp(h, h.cabinet.id, h.gloves.id, 'CON-IDEM', 10);
      const input = {
        locationId: h.cabinet.id,
        idempotencyKey: 'mqtt-msg-1',
        lines: [{ itemId: h.gloves.id, lotId: lot.id, quantity: 1 }],
      };
      await s.expectReplayed(
        (i) => consume(h.actors.device, i, 'mqtt'),
        input,
        { ...input, lines: [{ ...input.lines[0]!, quantity: 2 }] },
        { code: 'conflict', key: 'idempotency_mismatch' },
      );
      expect(await balanceOf(s.db, h.cabinet.id, lot.id)).toBe(9);
    });

    it('lets an assistant act for its user with the user’s grants and no more', async () => {
      const lot = await stockUp(h, h.cabinet.id, h.gloves.id, 'CON-BOT', 5);
      const { token } = await createApiToken({
        ctx: h.sys,
        input: { userId: h.actors.nurse.userId, name: 'Slack bot', kind: 'assistant' },
      });
      const assistant = (await authenticateToken({ db: s.db }, token, 'slack'))!;
      expect(assistant).toMatchObject({
        userId: h.actors.nurse.userId,
        organisationId: h.org.id,
        via: 'assistant',
        channel: 'slack',
      });
      expect(assistant.grants).toEqual(h.actors.nurse.grants);
      const result = await recordConsumption({
        ctx: contextFor(s.db, assistant),
        input: { locationId: h.cabinet.id, lines: [{ itemId: h.gloves.id, lotId: lot.id, quantity: 1 }] },
      });
      expect(result.movements[0]).toMatchObject({ actorId: h.actors.nurse.userId, channel: 'slack' });
      await failsWithoutTrace(
        s.db,
        () =>
          recordConsumption({
            ctx: contextFor(s.db, assistant),
            input: { locationId: h.home.id, lines: [{ itemId: h.gloves.id, quantity: 1 }] },
          }),
        { code: 'forbidden' },
      );
      await failsWithoutTrace(
        s.db,
        () =>
          issueStock({
            ctx: contextFor(s.db, assistant),
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
});
