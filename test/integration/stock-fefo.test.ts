import { beforeAll, describe, expect, it } from 'vitest';
import { issueStock } from '../../api/stock/issue-stock.ts';
import { recordConsumption } from '../../api/stock/record-consumption.ts';
import { buildHospital, type Hospital } from '../helpers/fixture.ts';
import { balanceOf, failsWithoutTrace } from '../helpers/ledger.ts';
import { describeStockActions } from '../helpers/stock-suite.ts';

describeStockActions((s) => {
  const { as, stockUp, newItem } = s;

  describe('FEFO', () => {
    let h: Hospital;
    beforeAll(async () => {
      h = await buildHospital(s.db, 'FEFO');
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
      const error = await failsWithoutTrace(s.db, () => issueFefo(item.id, 35), {
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
      expect(await balanceOf(s.db, h.warehouse.id, lots.noExpiry.id)).toBe(4);
      for (const untouched of [lots.expired, lots.quarantined, lots.recalled, lots.markedExpired]) {
        expect(await balanceOf(s.db, h.cardioStore.id, untouched.id)).toBe(0);
      }
      expect(await balanceOf(s.db, h.pharmacy.id, lots.elsewhere.id)).toBe(50);
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
      expect(await balanceOf(s.db, h.warehouse.id, late.id)).toBe(5);
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
      expect(await balanceOf(s.db, h.cabinet.id, expired.id)).toBe(5);
    });
  });
});
