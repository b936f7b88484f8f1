import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerDevice } from '../../api/devices/register-device.ts';
import { deviceMessages, movements } from '../../db/schema/index.ts';
import { startBroker, type DeviceBroker } from '../../iot/broker.ts';
import { drivers, openTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { buildHospital, type Hospital } from '../helpers/fixture.ts';
import { connectListening, sendAndAwaitReply } from '../helpers/mqtt.ts';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };

describe.each(drivers)('poison and out-of-kind device messages over MQTT (%s)', (driver) => {
  let t: TestDatabase;
  let h: Hospital;
  let broker: DeviceBroker;

  beforeAll(async () => {
    t = await openTestDatabase(driver);
    h = await buildHospital(t.db);
    broker = await startBroker({ db: t.db, port: 0, log: quiet });
  }, 180_000);
  afterAll(async () => {
    await broker?.close();
    await t?.close();
  });

  it('an RFID snapshot with a NUL tag is rejected on the reply topic, acknowledged, and not redelivered; the device stays connected', async () => {
    const device = await registerDevice({
      ctx: h.sys,
      input: { code: 'RFID-POISON-1', kind: 'rfid_cabinet', name: 'RFID', locationId: h.cabinet.id },
    });
    const client = await connectListening(broker.port, device.code, device.password);
    const reply = await sendAndAwaitReply(client, device.code, 'rfid', {
      seq: 1,
      ts: new Date().toISOString(),
      tags: ['3034\u0000FFFF'],
    });
    expect(reply).toMatchObject({
      seq: 1,
      status: 'rejected',
      error: { code: 'validation', fields: [expect.objectContaining({ field: 'tags.0' })] },
    });
    expect(client.connected).toBe(true); // the PUBACK came (sendAndAwaitReply awaited it) and the broker kept the connection
    const next = await sendAndAwaitReply(client, device.code, 'rfid', {
      seq: 2,
      ts: new Date().toISOString(),
      tags: [],
    });
    expect(next).toMatchObject({ seq: 2, status: 'accepted' });
    await client.endAsync();
    const again = await connectListening(broker.port, device.code, device.password);
    await new Promise((r) => setTimeout(r, 300));
    const stored = await t.db
      .select({ n: count() })
      .from(deviceMessages)
      .where(and(eq(deviceMessages.deviceId, device.id), eq(deviceMessages.seq, 1)));
    expect(stored[0]!.n).toBe(1);
    await again.endAsync();
  });

  it("a glucometer's levels are refused on the reply topic and book nothing", async () => {
    const device = await registerDevice({
      ctx: h.sys,
      input: { code: 'GLU-KIND-1', kind: 'glucometer', name: 'Glucometro', locationId: h.home.id },
    });
    const client = await connectListening(broker.port, device.code, device.password);
    const before = (await t.db.select({ n: count() }).from(movements))[0]!.n;
    const reply = await sendAndAwaitReply(client, device.code, 'levels', {
      seq: 1,
      ts: new Date().toISOString(),
      bins: [{ bin: 'A', item: h.syringe.code, count: 0 }],
    });
    expect(reply).toMatchObject({
      seq: 1,
      status: 'rejected',
      error: { code: 'forbidden', key: 'device_kind_message', advice: 'stop' },
    });
    expect((await t.db.select({ n: count() }).from(movements))[0]!.n).toBe(before);
    expect(client.connected).toBe(true);
    await client.endAsync();
  });
});
