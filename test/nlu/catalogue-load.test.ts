import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadNluCatalogue } from '../../bot/nlu/catalogue.ts';
import { parseUtterance } from '../../bot/nlu/parse.ts';
import { receiveGoods } from '../../api/stock/receive-goods.ts';
import { drivers, openTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { buildHospital, contextFor, type Hospital } from '../helpers/fixture.ts';

describe.each(drivers)('the parser on a catalogue loaded from %s', (driver) => {
  let t: TestDatabase;
  let h: Hospital;
  beforeAll(async () => {
    t = await openTestDatabase(driver);
    h = await buildHospital(t.db);
    await receiveGoods({
      ctx: contextFor(t.db, h.actors.warehouse),
      input: {
        locationId: h.warehouse.id,
        lines: [{ itemId: h.syringe.id, lotCode: 'SIR7781', expiry: '2028-01-31', quantity: 100 }],
      },
    });
  });
  afterAll(() => t.close());

  it('reads items, locations and lots through the core list actions and resolves names to their ids', async () => {
    const catalogue = await loadNluCatalogue(contextFor(t.db, h.actors.nurse));
    expect(catalogue.items.map((i) => i.code).sort()).toEqual(['DM-GUA-M', 'DM-SIR-10']);
    expect(catalogue.locations.map((l) => l.code)).toEqual(expect.arrayContaining(['MAG', 'CARD', 'CHIR', 'DOM-P001']));
    expect(catalogue.lots).toEqual([{ lotCode: 'SIR7781', itemId: h.syringe.id }]);

    const ask = parseUtterance('quante siringhe da 10 in cardio?', catalogue);
    expect(ask).toMatchObject({
      intent: 'stock_query',
      slots: { item: { id: h.syringe.id }, location: { id: h.cardio.id } },
    });
    const order = parseUtterance('order 3 boxes of gloves M for Chirurgia Generale, urgent', catalogue);
    expect(order).toMatchObject({
      intent: 'request_items',
      language: 'en',
      requiresConfirmation: true,
      slots: {
        item: { id: h.gloves.id },
        quantity: 3,
        unit: 'pack',
        location: { id: h.surgery.id },
        urgency: 'urgent',
      },
    });
    expect(parseUtterance('traccia il lotto sir7781', catalogue).slots).toMatchObject({
      lotCode: 'SIR7781',
      item: { id: h.syringe.id },
    });
    expect(parseUtterance('08012345000012 in magazzino generale', catalogue).slots).toMatchObject({
      item: { id: h.gloves.id },
      location: { id: h.warehouse.id },
    });
  });

  it('loads without lots for an actor who may not read them', async () => {
    const catalogue = await loadNluCatalogue(contextFor(t.db, h.actors.device));
    expect(catalogue.items).toHaveLength(2);
    expect(catalogue.lots).toEqual([]);
  });
});
