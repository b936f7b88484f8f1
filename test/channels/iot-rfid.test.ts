import type { MqttClient } from 'mqtt';
import { and, count, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeSgtin96 } from '../../api/catalogue/epc.ts';
import { gtinCheckDigit } from '../../api/catalogue/gtin.ts';
import { handleDeviceMessage } from '../../iot/handle-message.ts';
import { registerDevice } from '../../api/devices/register-device.ts';
import { deviceTopic } from '../../iot/topics.ts';
import { lotHistory } from '../../api/lots/lot-history.ts';
import { getStock } from '../../api/stock/get-stock.ts';
import { issueStock, transferStock } from '../../api/stock/issue-stock.ts';
import { receiveGoods } from '../../api/stock/receive-goods.ts';
import { deviceAlerts, devices, lots, movements, rfidTags, stockBalances } from '../../db/schema/index.ts';
import { startBroker, type DeviceBroker } from '../../iot/broker.ts';
import { drivers, openTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { buildHospital, type Hospital } from '../helpers/fixture.ts';
import { connectListening, sendAndAwaitReply } from '../helpers/mqtt.ts';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };
const GS = '\u001d';
const unknownGtin = `0809999999999${gtinCheckDigit('0809999999999')}`;

describe.each(drivers)('RFID cabinet snapshots over MQTT (embedded aedes, real clients, %s)', (driver) => {
  let t: TestDatabase;
  let h: Hospital;
  let broker: DeviceBroker;
  let device: { id: string; code: string; password: string };
  let client: MqttClient;
  const lotIds: Record<string, string> = {};
  const gloves = () => h.gloves.gtin!;
  /** A gloves pack as its DataMatrix reads: lot, expiry (AI 17) and serial. */
  const pack = (lot: string, serial: string) => `(01)${gloves()}(10)${lot}(17)280131(21)${serial}`;
  const snapshot = (seq: number, tags: string[]) =>
    sendAndAwaitReply(client, device.code, 'rfid', { seq, ts: new Date().toISOString(), tags });
  const onHand = async (locationId: string, lotCode: string) => {
    const [row] = await t.db
      .select({ quantity: stockBalances.quantity })
      .from(stockBalances)
      .innerJoin(lots, eq(lots.id, stockBalances.lotId))
      .where(and(eq(stockBalances.locationId, locationId), eq(lots.lotCode, lotCode)));
    return row?.quantity ?? 0;
  };
  const openAlerts = (kind: 'unknown_tag' | 'recalled_lot') =>
    t.db
      .select()
      .from(deviceAlerts)
      .where(and(eq(deviceAlerts.kind, kind), isNull(deviceAlerts.resolvedAt)));
  const movementCount = async () => (await t.db.select({ n: count() }).from(movements))[0]!.n;
  const codes = (reply: any) => reply.tags.problems.map((p: { code: string }) => p.code).sort();

  beforeAll(async () => {
    t = await openTestDatabase(driver);
    h = await buildHospital(t.db);
    await receiveGoods({
      ctx: h.sys,
      input: {
        locationId: h.warehouse.id,
        lines: ['G1', 'G2', 'G3'].map((lotCode) => ({
          itemId: h.gloves.id,
          lotCode,
          expiry: '2028-01-31',
          quantity: 100,
        })),
      },
    });
    for (const row of await t.db.select().from(lots)) lotIds[row.lotCode] = row.id;
    const [g1, g2, g3] = ['G1', 'G2', 'G3'].map((c) => lotIds[c]);
    await issueStock({
      ctx: h.sys,
      input: {
        fromLocationId: h.warehouse.id,
        toLocationId: h.cardioStore.id,
        lines: [
          { itemId: h.gloves.id, lotId: g1, quantity: 20 },
          { itemId: h.gloves.id, lotId: g2, quantity: 5 },
          { itemId: h.gloves.id, lotId: g3, quantity: 5 },
        ],
      },
    });
    // Two packs of G1 were in the cabinet, on the books, before it had RFID.
    await transferStock({
      ctx: h.sys,
      input: {
        fromLocationId: h.cardioStore.id,
        toLocationId: h.cabinet.id,
        lines: [{ itemId: h.gloves.id, lotId: g1, quantity: 2 }],
      },
    });
    device = await registerDevice({
      ctx: h.sys,
      input: { code: 'CARD-RFID-01', kind: 'rfid_cabinet', name: 'Armadio RFID Cardiologia', locationId: h.cabinet.id },
    });
    broker = await startBroker({ db: t.db, port: 0, log: quiet });
    client = await connectListening(broker.port, device.code, device.password);
  });
  afterAll(async () => {
    await client?.endAsync();
    await broker?.close();
    await t?.close();
  });

  it('first snapshot: claims what the books already hold, puts away the rest from the ward store, names every tag it cannot use', async () => {
    const epc = encodeSgtin96({ gtin: gloves(), companyPrefixLength: 7, serial: 4711 });
    const reply = await snapshot(1, [
      pack('G1', 'S1'),
      pack('G1', 'S2'),
      `]d201${gloves()}21S3${GS}10G1${GS}17280131`, // the same lot, raw DataMatrix with separators
      `(01)${gloves()}(17)280100(10)G2(21)S4`, // day 00: the last day of January 2028
      pack('G9', 'S5'), // a lot nobody has delivered yet
      epc.toLowerCase(), // an EPC: GTIN and serial, no lot
      `(01)${unknownGtin}(10)X1`,
      `(01)08012345000013(10)G1`, // wrong check digit
    ]);
    expect(reply).toMatchObject({
      seq: 1,
      status: 'accepted',
      movements: 2,
      tags: { seen: 5, claimed: 2, putAway: 2, kept: 0, gone: 0 },
    });
    expect(codes(reply)).toEqual(['bad_check_digit', 'no_lot', 'not_on_books', 'unknown_gtin']);
    const badDigit = reply.tags.problems.find((p: { code: string }) => p.code === 'bad_check_digit');
    expect(badDigit).toMatchObject({
      index: 7,
      message: expect.stringContaining('it should be 2'),
      messageIt: expect.stringContaining('dovrebbe essere 2'),
    });
    expect(reply.tags.problems.find((p: { code: string }) => p.code === 'not_on_books').message).toContain('CARD-MR');
    // Two G1 packs were already on the cabinet's books: only the third moved. G2 came from the ward store.
    expect(await onHand(h.cabinet.id, 'G1')).toBe(3);
    expect(await onHand(h.cardioStore.id, 'G1')).toBe(17);
    expect(await onHand(h.cabinet.id, 'G2')).toBe(1);
    expect(await onHand(h.cardioStore.id, 'G2')).toBe(4);
    expect(await onHand(h.cabinet.id, 'G9')).toBe(0);
    // The new lot exists now, with the expiry the tag carried (day 00 → last day of the month).
    const [g9] = await t.db.select().from(lots).where(eq(lots.lotCode, 'G9'));
    expect(g9).toMatchObject({ itemId: h.gloves.id, expiry: '2028-01-31', status: 'available' });
    expect((await t.db.select().from(rfidTags).where(eq(rfidTags.deviceId, device.id))).length).toBe(4);
    const alerts = await openAlerts('unknown_tag');
    expect(
      alerts
        .map((a) => a.detail as { code: string })
        .map((d) => d.code)
        .sort(),
    ).toEqual(['bad_check_digit', 'no_lot', 'not_on_books', 'unknown_gtin']);
    expect(alerts.find((a) => (a.detail as { code: string }).code === 'no_lot')!.subject).toBe(epc);
  });

  it('applies a redelivered snapshot once: the first reply again, nothing moved twice', async () => {
    const before = await movementCount();
    const again = await snapshot(1, [pack('G1', 'S1')]);
    expect(again).toMatchObject({
      seq: 1,
      status: 'accepted',
      duplicate: true,
      movements: 2,
      tags: { putAway: 2, claimed: 2 },
    });
    expect(await movementCount()).toBe(before);
    expect(await onHand(h.cabinet.id, 'G1')).toBe(3);
  });

  it('second snapshot: tags gone are consumption of their lots at the cabinet; lot history shows the way in and out', async () => {
    const reply = await snapshot(2, [
      pack('G1', 'S2'),
      `]d201${gloves()}21S3${GS}10G1${GS}17280131`,
      pack('G9', 'S5'),
      encodeSgtin96({ gtin: gloves(), companyPrefixLength: 7, serial: 4711 }),
    ]);
    expect(reply).toMatchObject({
      seq: 2,
      status: 'accepted',
      movements: 2,
      tags: { seen: 3, kept: 2, gone: 2, putAway: 0, claimed: 0 },
    });
    expect(codes(reply)).toEqual(['no_lot', 'not_on_books']);
    expect(reply.requests).toEqual([expect.objectContaining({ itemId: h.gloves.id })]);
    expect(await onHand(h.cabinet.id, 'G1')).toBe(2);
    expect(await onHand(h.cabinet.id, 'G2')).toBe(0);
    const history = await lotHistory({ ctx: h.sys, input: { lotId: lotIds.G2! } });
    expect(history.data.map((m) => [m.kind, m.quantity])).toEqual([
      ['receipt', 100],
      ['issue', 5],
      ['transfer', 1],
      ['consumption', 1],
    ]);
    const [transfer, consumption] = history.data.slice(2);
    expect(transfer).toMatchObject({
      fromLocationId: h.cardioStore.id,
      toLocationId: h.cabinet.id,
      reason: 'CARD-RFID-01 rfid #1',
    });
    expect(consumption).toMatchObject({
      fromLocationId: h.cabinet.id,
      toLocationId: null,
      reason: 'CARD-RFID-01 rfid #2',
    });
    // The malformed and unknown tags left: their alerts closed. The EPC and the undelivered lot stay open.
    expect((await openAlerts('unknown_tag')).map((a) => (a.detail as { code: string }).code).sort()).toEqual([
      'no_lot',
      'not_on_books',
    ]);
    const stock = await getStock({ ctx: h.sys, input: { locationId: h.cabinet.id } });
    expect(stock.data.filter((r) => r.onHand > 0).map((r) => [r.lotCode, r.onHand])).toEqual([['G1', 2]]);
  });

  it('flags a recalled lot: put-away refused, a pack gone not booked, one open alert per lot', async () => {
    await t.db
      .update(lots)
      .set({ status: 'recalled', statusReason: 'richiamo 2026/41' })
      .where(eq(lots.id, lotIds.G3!));
    await t.db
      .update(lots)
      .set({ status: 'recalled', statusReason: 'richiamo 2026/42' })
      .where(eq(lots.id, lotIds.G1!));
    const before = await movementCount();
    const reply = await snapshot(3, [pack('G1', 'S2'), pack('G3', 'S6'), pack('G9', 'S5')]);
    expect(reply).toMatchObject({ seq: 3, status: 'accepted', movements: 0, tags: { putAway: 0, kept: 1, gone: 1 } });
    expect(codes(reply)).toEqual(['consumption_not_booked', 'lot_unusable', 'lot_unusable', 'not_on_books']);
    const gone = reply.tags.problems.find((p: { code: string }) => p.code === 'consumption_not_booked');
    expect(gone).toMatchObject({
      message: expect.stringContaining('recalled'),
      messageIt: expect.stringContaining('richiamato'),
    });
    expect(await movementCount()).toBe(before);
    // The books keep what they had: G1 still 2 in the cabinet (one pack left, to be returned or accounted for), G3
    // still in the ward store.
    expect(await onHand(h.cabinet.id, 'G1')).toBe(2);
    expect(await onHand(h.cabinet.id, 'G3')).toBe(0);
    expect(await onHand(h.cardioStore.id, 'G3')).toBe(5);
    const recalled = await openAlerts('recalled_lot');
    expect(recalled.map((a) => a.subject).sort()).toEqual([lotIds.G1, lotIds.G3].sort());
    // Seen again: still flagged, still one alert per lot.
    const again = await snapshot(4, [pack('G1', 'S2'), pack('G3', 'S6'), pack('G9', 'S5')]);
    expect(codes(again)).toEqual(['lot_unusable', 'lot_unusable', 'not_on_books']);
    expect(await openAlerts('recalled_lot')).toHaveLength(2);
  });

  it('ignores a snapshot older than the last one applied', async () => {
    const tagsBefore = await t.db.select().from(rfidTags);
    const before = await movementCount();
    const stale = await snapshot(0, []);
    expect(stale).toMatchObject({
      seq: 0,
      status: 'accepted',
      movements: 0,
      notes: [expect.stringContaining('older')],
    });
    expect(await movementCount()).toBe(before);
    expect((await t.db.select().from(rfidTags)).length).toBe(tagsBefore.length);
  });

  it('refuses a snapshot acting as someone with no right to book stock at the cabinet, and writes nothing', async () => {
    const [row] = await t.db.select().from(devices).where(eq(devices.id, device.id));
    const before = await movementCount();
    const body = new TextEncoder().encode(
      JSON.stringify({ seq: 20, ts: new Date().toISOString(), tags: [pack('G1', 'S7')] }),
    );
    const reply = await handleDeviceMessage(
      { db: t.db, actor: h.actors.otherNurse, now: () => new Date() },
      row!,
      'rfid',
      body,
      deviceTopic(device.code, 'rfid'),
    );
    expect(reply).toMatchObject({ seq: 20, status: 'rejected', error: { code: 'forbidden' } });
    expect(await movementCount()).toBe(before);
    expect(
      (
        await t.db
          .select()
          .from(rfidTags)
          .where(eq(rfidTags.tag, pack('G1', 'S7')))
      ).length,
    ).toBe(0);
  });

  it('rejects a malformed snapshot naming the field, and writes nothing', async () => {
    const before = await movementCount();
    const tagsBefore = (await t.db.select().from(rfidTags)).length;
    const bad = await sendAndAwaitReply(client, device.code, 'rfid', {
      seq: 10,
      ts: new Date().toISOString(),
      tags: 'E2801160',
    });
    expect(bad).toMatchObject({
      seq: 10,
      status: 'rejected',
      error: { code: 'validation', fields: [{ field: 'tags' }] },
    });
    const tooLong = await sendAndAwaitReply(client, device.code, 'rfid', {
      seq: 11,
      ts: new Date().toISOString(),
      tags: ['x'.repeat(201)],
    });
    expect(tooLong).toMatchObject({ seq: 11, status: 'rejected', error: { fields: [{ field: 'tags.0' }] } });
    expect(await movementCount()).toBe(before);
    expect((await t.db.select().from(rfidTags)).length).toBe(tagsBefore);
  });
});
