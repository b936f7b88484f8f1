import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, count, eq } from 'drizzle-orm';
import { registerDevice, revokeDevice } from '../../api/devices/register-device.ts';
import { deviceTopic, replyTopic } from '../../iot/topics.ts';
import { recordConsumption } from '../../api/stock/record-consumption.ts';
import { issueStock } from '../../api/stock/issue-stock.ts';
import { getStock } from '../../api/stock/get-stock.ts';
import { movements, notifications, requestLines, wardRequests } from '../../db/schema/index.ts';
import { startBroker, type DeviceBroker } from '../../iot/broker.ts';
import { glucoseConsumes, receiveLots, stockCabinet } from '../helpers/device-stock.ts';
import { connectDevice, sendAndAwaitReply } from '../helpers/mqtt.ts';
import { openTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { buildHospital, type Hospital } from '../helpers/fixture.ts';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };
const day = 86_400_000;

const connect = (broker: DeviceBroker, code: string, password: string) => connectDevice(broker.port, code, password);
const send = (client: MqttClient, code: string, kind: 'levels' | 'readings', body: unknown) =>
  sendAndAwaitReply(client, code, kind, body);

describe('devices over MQTT (embedded aedes, real clients)', () => {
  let t: TestDatabase;
  let h: Hospital;
  let broker: DeviceBroker;
  let cabinet: { code: string; password: string };
  let glucometer: { code: string; password: string };
  const strips = () => h.syringe; // the fixture's second item stands in for glucose strips

  beforeAll(async () => {
    t = await openTestDatabase('pglite');
    h = await buildHospital(t.db);
    const now = Date.now();
    await receiveLots(h, [
      { itemId: h.gloves.id, lotCode: 'G1', expiry: '2028-01-31', quantity: 1000 },
      { itemId: h.syringe.id, lotCode: 'S1', expiry: '2028-01-31', quantity: 500 },
    ]);
    await stockCabinet(h, h.gloves.id, { toStore: 400, toCabinet: 300 });
    // Twenty days of history in the cabinet: 10 gloves a day.
    for (let d = 20; d >= 1; d--) {
      await recordConsumption({
        ctx: h.sys,
        input: {
          locationId: h.cabinet.id,
          lines: [{ itemId: h.gloves.id, quantity: 10 }],
          occurredAt: new Date(now - d * day).toISOString(),
        },
      });
    }
    await issueStock({
      ctx: h.sys,
      input: {
        fromLocationId: h.warehouse.id,
        toLocationId: h.home.id,
        lines: [{ itemId: h.syringe.id, quantity: 40 }],
      },
    });
    await glucoseConsumes(h, strips().id);
    cabinet = await registerDevice({
      ctx: h.sys,
      input: { code: 'CARD-ARM1-01', kind: 'smart_cabinet', name: 'Armadio Cardiologia', locationId: h.cabinet.id },
    });
    glucometer = await registerDevice({
      ctx: h.sys,
      input: { code: 'GLU-P001', kind: 'glucometer', name: 'Glucometro P-001', locationId: h.home.id },
    });
    broker = await startBroker({ db: t.db, port: 0, log: quiet, revocationCheckMs: 200 });
  });
  afterAll(async () => {
    await broker?.close();
    await t?.close();
  });

  it('refuses unknown devices, wrong secrets and a client id that is not the device code', async () => {
    await expect(connect(broker, 'NOPE-01', 'x')).rejects.toThrow(/Bad username or password|Not authorized|refused/i);
    await expect(connect(broker, cabinet.code, 'wrong')).rejects.toThrow();
    await expect(
      mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, {
        clientId: 'other',
        username: cabinet.code,
        password: cabinet.password,
        reconnectPeriod: 0,
      }),
    ).rejects.toThrow();
  });

  it('turns a glucose reading into consumption of a strip at the patient home, once per sequence number', async () => {
    const client = await connect(broker, glucometer.code, glucometer.password);
    await client.subscribeAsync(replyTopic(glucometer.code), { qos: 1 });
    const reading = { seq: 1, ts: new Date().toISOString(), type: 'glucose', value: 132, unit: 'mg/dL' };
    const first = await send(client, glucometer.code, 'readings', reading);
    expect(first).toMatchObject({ seq: 1, status: 'accepted', movements: 1 });
    const again = await send(client, glucometer.code, 'readings', reading);
    expect(again).toMatchObject({ seq: 1, status: 'accepted', duplicate: true });
    const stock = await getStock({ ctx: h.sys, input: { locationId: h.home.id } });
    expect(stock.totals).toEqual([expect.objectContaining({ itemId: strips().id, onHand: 39 })]);
    await client.endAsync();
  });

  it('rejects a malformed payload on the reply topic, naming the field, and writes nothing', async () => {
    const client = await connect(broker, glucometer.code, glucometer.password);
    await client.subscribeAsync(replyTopic(glucometer.code), { qos: 1 });
    const before = (await t.db.select({ n: count() }).from(movements))[0]!.n;
    const bad = await send(client, glucometer.code, 'readings', { seq: 2, ts: 'yesterday', type: 'glucose' });
    expect(bad).toMatchObject({
      seq: 2,
      status: 'rejected',
      error: { code: 'validation', key: 'validation', advice: 'fix_message', fields: [{ field: 'ts' }] },
    });
    const notJson = await send(client, glucometer.code, 'readings', '{oops');
    expect(notJson).toMatchObject({ seq: null, status: 'rejected', error: { fields: [{ field: '(payload)' }] } });
    const after = (await t.db.select({ n: count() }).from(movements))[0]!.n;
    expect(after).toBe(before);
    await client.endAsync();
  });

  it('keeps each device to its own topics', async () => {
    const client = await connect(broker, glucometer.code, glucometer.password);
    expect((await client.subscribeAsync(replyTopic(glucometer.code), { qos: 1 })).map((g) => g.qos)).toEqual([1]);
    // Another device's replies, or everything: refused in the SUBACK (0x80), which mqtt.js reports as an error.
    await expect(client.subscribeAsync(replyTopic(cabinet.code), { qos: 1 })).rejects.toThrow(/Subscribe error/);
    await expect(client.subscribeAsync('scorta/#', { qos: 1 })).rejects.toThrow(/Subscribe error/);
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    client.publish(
      deviceTopic(cabinet.code, 'levels'),
      JSON.stringify({ seq: 1, ts: new Date().toISOString(), bins: [] }),
      { qos: 1 },
    );
    await closed; // publishing under another device's topic ends the connection
    client.end(true);
  });

  it('turns a cabinet level below the books into consumption and one under-stock request, updated by later readings', async () => {
    const client = await connect(broker, cabinet.code, cabinet.password);
    await client.subscribeAsync(replyTopic(cabinet.code), { qos: 1 });
    const first = await send(client, cabinet.code, 'levels', {
      seq: 1,
      ts: new Date().toISOString(),
      bins: [
        { bin: 'A1', item: h.gloves.code, count: 6 },
        { bin: 'A2', item: h.gloves.gtin!, count: 2 },
      ],
    });
    expect(first).toMatchObject({ status: 'accepted', movements: 1 });
    expect(first.requests).toEqual([
      expect.objectContaining({
        itemId: h.gloves.id,
        action: 'emitted',
        urgency: expect.stringMatching(/urgent|emergency/),
      }),
    ]);
    expect(first.requests[0].reason).toMatchObject({ onHand: 8, L: 2 });
    expect(first.requests[0].reason.R).toBeGreaterThanOrEqual(8);
    const second = await send(client, cabinet.code, 'levels', {
      seq: 2,
      ts: new Date().toISOString(),
      bins: [{ bin: 'A1', item: h.gloves.code, count: 3 }],
    });
    expect(second.requests).toEqual([
      expect.objectContaining({ action: 'updated', requestId: first.requests[0].requestId }),
    ]);
    const open = await t.db
      .select({ n: count() })
      .from(wardRequests)
      .where(and(eq(wardRequests.destinationId, h.cabinet.id), eq(wardRequests.status, 'submitted')));
    expect(open[0]!.n).toBe(1);
    // The cabinet's ward hears of it: one chat notification in the outbox, written with the request.
    const notices = await t.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.kind, 'under_stock'), eq(notifications.locationId, h.cabinet.id)));
    expect(notices.map((n) => [n.target, (n.payload as { number: string }).number])).toEqual([
      ['chat', first.requests[0].number],
    ]);
    const [line] = await t.db
      .select()
      .from(requestLines)
      .where(eq(requestLines.requestId, first.requests[0].requestId));
    expect(line!.quantityRequested).toBe(second.requests[0].quantity);
    const stock = await getStock({ ctx: h.sys, input: { locationId: h.cabinet.id } });
    expect(stock.totals[0]).toMatchObject({ onHand: 3 });
    await client.endAsync();
  });

  it('refuses a revoked device at its next connection', async () => {
    const device = await registerDevice({
      ctx: h.sys,
      input: { code: 'TMP-DEV-01', kind: 'telehealth', name: 'Temporaneo', locationId: h.home.id },
    });
    const before = await connect(broker, device.code, device.password);
    await before.endAsync();
    await revokeDevice({ ctx: h.sys, id: device.id });
    await expect(connect(broker, device.code, device.password)).rejects.toThrow();
  });

  it('drops a revoked device that is online, and refuses it when it comes back', async () => {
    const device = await registerDevice({
      ctx: h.sys,
      input: { code: 'TMP-DEV-02', kind: 'telehealth', name: 'Temporaneo 2', locationId: h.home.id },
    });
    const client = await connect(broker, device.code, device.password);
    expect(await client.subscribeAsync(replyTopic(device.code), { qos: 1 })).toHaveLength(1);
    const closed = new Promise<number>((resolve) => client.once('close', () => resolve(Date.now())));
    const revokedAt = Date.now();
    await revokeDevice({ ctx: h.sys, id: device.id });
    expect((await closed) - revokedAt).toBeLessThan(2000); // within a few revocation checks (200 ms here)
    client.end(true);
    await expect(connect(broker, device.code, device.password)).rejects.toThrow();
  });

  it("closes a revoked device's connection as the revocation commits, not at the next periodic check, and refuses it after", async () => {
    // A broker whose periodic check would take an hour: only the revocation itself can close the connection.
    const hourly = await startBroker({ db: t.db, port: 0, log: quiet, revocationCheckMs: 3_600_000 });
    try {
      const device = await registerDevice({
        ctx: h.sys,
        input: { code: 'TMP-DEV-03', kind: 'telehealth', name: 'Temporaneo 3', locationId: h.home.id },
      });
      const client = await connect(hourly, device.code, device.password);
      expect(await client.subscribeAsync(replyTopic(device.code), { qos: 1 })).toHaveLength(1);
      const closed = new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), 3000);
        client.once('close', () => {
          clearTimeout(timer);
          resolve(true);
        });
      });
      await revokeDevice({ ctx: h.sys, id: device.id });
      expect(await closed).toBe(true);
      client.end(true);
      await expect(connect(hourly, device.code, device.password)).rejects.toThrow();
    } finally {
      await hourly.close();
    }
  });
});
