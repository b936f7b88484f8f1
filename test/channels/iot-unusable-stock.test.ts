import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAlerts } from '../../api/devices/alerts.ts';
import { registerDevice } from '../../api/devices/register-device.ts';
import { quarantineLot } from '../../api/lots/quarantine-lot.ts';
import { recallLot } from '../../api/lots/recall-lot.ts';
import { issueStock, transferStock } from '../../api/stock/issue-stock.ts';
import { deviceAlerts, movements } from '../../db/schema/index.ts';
import { startBroker, type DeviceBroker } from '../../iot/broker.ts';
import { openTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { receiveLots } from '../helpers/device-stock.ts';
import { buildHospital, contextFor, type Hospital } from '../helpers/fixture.ts';
import { lotByCode } from '../helpers/ledger.ts';
import { connectListening, sendAndAwaitReply } from '../helpers/mqtt.ts';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };

/**
 * Issue #16: a smart cabinet's level reading of an item whose recalled (or quarantined) units are still on the
 * cabinet's books raises an alert the ward sees, instead of a silent "0 on the books". Through the real broker.
 */
describe('a cabinet reading of recalled stock raises an alert (embedded broker, real client)', () => {
  let t: TestDatabase;
  let h: Hospital;
  let broker: DeviceBroker;
  let cabinet: { code: string; password: string };
  let recalledId: string;
  let heldId: string;
  let seq = 0;
  const levels = async (gloves: number, syringes?: number) => {
    const client = await connectListening(broker.port, cabinet.code, cabinet.password);
    const bins = [
      { bin: 'A1', item: h.gloves.code, count: gloves },
      ...(syringes === undefined ? [] : [{ bin: 'B1', item: h.syringe.code, count: syringes }]),
    ];
    const reply = await sendAndAwaitReply(client, cabinet.code, 'levels', {
      seq: ++seq,
      ts: new Date().toISOString(),
      bins,
    });
    await client.endAsync();
    return reply;
  };
  const wardAlerts = async (open = true) =>
    (await listAlerts({ ctx: contextFor(t.db, h.actors.nurse), input: { kind: 'recalled_lot', open } })).data;

  beforeAll(async () => {
    t = await openTestDatabase('pglite');
    h = await buildHospital(t.db, 'UNU');
    await receiveLots(h, [
      { itemId: h.gloves.id, lotCode: 'GOOD-1', expiry: '2028-01-31', quantity: 100 },
      { itemId: h.gloves.id, lotCode: 'BAD-1', expiry: '2028-03-31', quantity: 100 },
      { itemId: h.syringe.id, lotCode: 'HOLD-1', expiry: '2028-03-31', quantity: 100 },
    ]);
    const good = await lotByCode(t.db, h.gloves.id, 'GOOD-1');
    const bad = await lotByCode(t.db, h.gloves.id, 'BAD-1');
    const held = await lotByCode(t.db, h.syringe.id, 'HOLD-1');
    recalledId = bad.id;
    heldId = held.id;
    const move = async (lines: { itemId: string; lotId: string; quantity: number }[]) => {
      await issueStock({
        ctx: h.sys,
        input: { fromLocationId: h.warehouse.id, toLocationId: h.cardioStore.id, lines },
      });
      await transferStock({
        ctx: h.sys,
        input: { fromLocationId: h.cardioStore.id, toLocationId: h.cabinet.id, lines },
      });
    };
    // In the cabinet: 5 usable gloves (GOOD-1), 4 gloves of BAD-1 to be recalled, 3 syringes of HOLD-1 to be
    // quarantined.
    await move([
      { itemId: h.gloves.id, lotId: good.id, quantity: 5 },
      { itemId: h.gloves.id, lotId: bad.id, quantity: 4 },
      { itemId: h.syringe.id, lotId: held.id, quantity: 3 },
    ]);
    cabinet = await registerDevice({
      ctx: h.sys,
      input: { code: 'UNU-ARM1-01', kind: 'smart_cabinet', name: 'Armadio Cardiologia', locationId: h.cabinet.id },
    });
    await recallLot({
      ctx: contextFor(t.db, h.actors.warehouse),
      input: { lotId: bad.id, reason: 'Difetto di sterilità', reference: 'FSN-16' },
    });
    await quarantineLot({ ctx: contextFor(t.db, h.actors.warehouse), input: { lotId: held.id, reason: 'Verifica' } });
    broker = await startBroker({ db: t.db, port: 0, log: quiet, revocationCheckMs: 200 });
  }, 60_000);
  afterAll(async () => {
    await broker?.close();
    await t?.close();
  });

  it('sees 9 gloves where 5 are usable: books nothing, and alerts the ward that recalled units are in the bins', async () => {
    const before = (await t.db.select({ n: count() }).from(movements))[0]!.n;
    const reply = await levels(9, 3);
    expect(reply).toMatchObject({ status: 'accepted', movements: 0 });
    expect(reply.notes).toEqual([
      'DM-GUA-M: 9 seen, 5 usable on the books; 4 are likely units of lot BAD-1 (recalled): take them out',
      'DM-SIR-10: 3 seen, 0 usable on the books; 3 are likely units of lot HOLD-1 (quarantined): take them out',
    ]);
    expect((await t.db.select({ n: count() }).from(movements))[0]!.n).toBe(before);
    const alerts = await wardAlerts();
    expect(alerts.map((a) => a.subject).sort()).toEqual([recalledId, heldId].sort());
    const recalled = alerts.find((a) => a.subject === recalledId)!;
    expect(recalled).toMatchObject({
      kind: 'recalled_lot',
      location: { code: 'CARD-ARM1' },
      device: { code: 'UNU-ARM1-01' },
      detail: { lot: 'BAD-1', status: 'recalled', onBooks: 4, seen: 9, usableOnBooks: 5 },
    });
    expect(recalled.detail.messageIt).toBe(
      "4 unità del lotto BAD-1 (DM-GUA-M, richiamato) risultano in CARD-ARM1 e l'armadio vede più della giacenza utilizzabile: sono probabilmente ancora nei cassetti, vanno tolte.",
    );
    expect(recalled.detail.message).toBe(
      '4 units of lot BAD-1 (DM-GUA-M, recalled) are on the books of CARD-ARM1 and the cabinet sees more than its usable stock: they are likely still in the bins, take them out.',
    );
  });

  it('keeps one open alert per lot however often the cabinet reports', async () => {
    await levels(9, 3);
    await levels(8, 3);
    expect(await wardAlerts()).toHaveLength(2);
    expect(
      (
        await t.db
          .select({ n: count() })
          .from(deviceAlerts)
          .where(and(eq(deviceAlerts.subject, recalledId)))
      )[0]!.n,
    ).toBe(1);
  });

  it('resolves the alert of an item once the cabinet sees no more than its usable stock, and books the use of usable units', async () => {
    const reply = await levels(4);
    expect(reply).toMatchObject({ status: 'accepted', movements: 1, notes: [] });
    const open = await wardAlerts();
    expect(open.map((a) => a.subject)).toEqual([heldId]); // the syringes were not in this reading: their alert stays
    expect((await wardAlerts(false)).map((a) => a.subject)).toEqual([recalledId]);
  });
});
