import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import { deviceTopic, replyTopic } from '../../iot/topics.ts';
import { getStock } from '../../api/stock/get-stock.ts';
import { deviceMessages } from '../../db/schema/index.ts';
import { PortInUseError, startBroker, type DeviceBroker } from '../../iot/broker.ts';
import { glucometerAtHome } from '../helpers/device-stock.ts';
import { nextMessage } from '../helpers/mqtt.ts';
import { openTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { buildHospital, type Hospital } from '../helpers/fixture.ts';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };

/** A real mqtt.js client over WebSocket, logged in as a device. */
const connectWs = (broker: DeviceBroker, code: string, password: string): Promise<MqttClient> =>
  mqtt.connectAsync(
    `ws://127.0.0.1:${broker.wsPort}/mqtt`,
    { clientId: code, username: code, password, reconnectPeriod: 0, connectTimeout: 5000 },
    false,
  );

describe('devices over MQTT over WebSocket (embedded aedes, real mqtt.js client on ws://)', () => {
  let t: TestDatabase;
  let h: Hospital;
  let broker: DeviceBroker;
  let glucometer: { id: string; code: string; password: string };

  beforeAll(async () => {
    t = await openTestDatabase('pglite');
    h = await buildHospital(t.db);
    glucometer = await glucometerAtHome(h, { code: 'GLU-WS-01', name: 'Glucometro WS' }, { received: 100, atHome: 20 });
    broker = await startBroker({ db: t.db, port: 0, wsPort: 0, log: quiet });
  });
  afterAll(async () => {
    await broker?.close();
    await t?.close();
  });

  it('applies a reading sent over ws:// and replies on the device reply topic after commit', async () => {
    const client = await connectWs(broker, glucometer.code, glucometer.password);
    await client.subscribeAsync(replyTopic(glucometer.code), { qos: 1 });
    const reply = nextMessage(client, replyTopic(glucometer.code));
    await client.publishAsync(
      deviceTopic(glucometer.code, 'readings'),
      JSON.stringify({ seq: 1, ts: new Date().toISOString(), type: 'glucose', value: 118, unit: 'mg/dL' }),
      { qos: 1 },
    );
    // The PUBACK came back only after the commit: the stock is already down when publishAsync resolves.
    const stock = await getStock({ ctx: h.sys, input: { locationId: h.home.id } });
    expect(stock.totals).toEqual([expect.objectContaining({ itemId: h.syringe.id, onHand: 19 })]);
    expect(await reply).toMatchObject({ seq: 1, status: 'accepted', movements: 1 });
    await client.endAsync();
  });

  it('refuses a wrong secret over ws:// as over TCP, and keeps the device to its own topics', async () => {
    await expect(connectWs(broker, glucometer.code, 'wrong')).rejects.toThrow();
    const client = await connectWs(broker, glucometer.code, glucometer.password);
    await expect(client.subscribeAsync('scorta/#', { qos: 1 })).rejects.toThrow(/Subscribe error/);
    const before = (
      await t.db.select({ n: count() }).from(deviceMessages).where(eq(deviceMessages.deviceId, glucometer.id))
    )[0]!.n;
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    client.publish(
      deviceTopic('OTHER-01', 'readings'),
      JSON.stringify({ seq: 9, ts: new Date().toISOString(), type: 'glucose', value: 1, unit: 'mg/dL' }),
      { qos: 1 },
    );
    await closed;
    client.end(true);
    const after = (
      await t.db.select({ n: count() }).from(deviceMessages).where(eq(deviceMessages.deviceId, glucometer.id))
    )[0]!.n;
    expect(after).toBe(before);
  });

  it('names MQTT_WS_PORT when the WebSocket port is taken', async () => {
    const error = await startBroker({ db: t.db, port: 0, wsPort: broker.wsPort!, log: quiet }).catch((e) => e);
    expect(error).toBeInstanceOf(PortInUseError);
    expect(error.message).toMatch(
      new RegExp(`MQTT-over-WebSocket port ${broker.wsPort} is already in use.*MQTT_WS_PORT=`),
    );
  });
});
