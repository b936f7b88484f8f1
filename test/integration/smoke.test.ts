import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { receiveGoods } from '../../api/stock/receive-goods.ts';
import { issueStock } from '../../api/stock/issue-stock.ts';
import { getStock } from '../../api/stock/get-stock.ts';
import { drivers, openTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { buildHospital, contextFor, type Hospital } from '../helpers/fixture.ts';

describe.each(drivers)('smoke on %s', (driver) => {
  let t: TestDatabase;
  let h: Hospital;
  beforeAll(async () => {
    t = await openTestDatabase(driver);
    h = await buildHospital(t.db);
  });
  afterAll(() => t.close());

  it('receives, issues FEFO, reads stock', async () => {
    const wh = contextFor(t.db, h.actors.warehouse);
    await receiveGoods({ ctx: wh, input: { locationId: h.warehouse.id, lines: [
      { itemId: h.gloves.id, lotCode: 'L-LATE', expiry: '2028-01-31', quantity: 100, unitPrice: 0.05 },
      { itemId: h.gloves.id, lotCode: 'L-EARLY', expiry: '2027-03-31', quantity: 30, unitPrice: 0.06 },
    ] } });
    const issued = await issueStock({ ctx: wh, input: { fromLocationId: h.warehouse.id, toLocationId: h.cardioStore.id, lines: [{ itemId: h.gloves.id, quantity: 40 }] } });
    expect(issued.movements.map((m) => m.quantity)).toEqual([30, 10]);
    const stock = await getStock({ ctx: contextFor(t.db, h.actors.nurse), input: { locationId: h.cardio.id } });
    expect(stock.totals).toEqual([expect.objectContaining({ itemCode: 'DM-GUA-M', onHand: 40, available: 40 })]);
  });
});
