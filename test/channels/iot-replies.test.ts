import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { deviceTopic, replyTopic } from '../../iot/topics.ts';
import { deviceMessages } from '../../db/schema/index.ts';
import { startBroker, type DeviceBroker } from '../../iot/broker.ts';
import { glucometerAtHome } from '../helpers/device-stock.ts';
import { collectReplies, connectDevice } from '../helpers/mqtt.ts';
import { drivers, openTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { buildHospital, type Hospital } from '../helpers/fixture.ts';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };
const reading = (seq: number) =>
  JSON.stringify({ seq, ts: new Date().toISOString(), type: 'glucose', value: 100 + seq });
const settle = () => new Promise((resolve) => setTimeout(resolve, 400));

describe.each(drivers)('a device hears every reply (embedded broker, real clients, %s)', (driver) => {
  let t: TestDatabase;
  let h: Hospital;
  let broker: DeviceBroker;
  let glucometer: { id: string; code: string; password: string };

  beforeAll(async () => {
    t = await openTestDatabase(driver);
    h = await buildHospital(t.db);
    glucometer = await glucometerAtHome(
      h,
      { code: 'GLU-REP-01', name: 'Glucometro risposte' },
      { received: 500, atHome: 100 },
    );
    broker = await startBroker({ db: t.db, port: 0, log: quiet });
  });
  afterAll(async () => {
    await broker?.close();
    await t?.close();
  });

  it('sends the replies of readings published before the subscription when the device subscribes, each once, also after a broker restart', async () => {
    // After a crash a device resends its unacknowledged readings first (one of them twice here), then resubscribes.
    const early = await connectDevice(broker.port, glucometer.code, glucometer.password);
    for (const seq of [1, 2, 3, 4, 5, 3])
      await early.publishAsync(deviceTopic(glucometer.code, 'readings'), reading(seq), { qos: 1 });
    await early.endAsync();
    // The broker goes away and comes back: what was not heard is kept in the database, not in its memory.
    await broker.close();
    broker = await startBroker({ db: t.db, port: 0, log: quiet });

    const client = await connectDevice(broker.port, glucometer.code, glucometer.password);
    const replies = collectReplies(client, glucometer.code);
    await client.subscribeAsync(replyTopic(glucometer.code), { qos: 1 });
    await expect.poll(() => replies.length, { timeout: 5000 }).toBeGreaterThanOrEqual(5);
    await settle();
    expect(replies.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(replies.every((r) => r.status === 'accepted' && r.movements === 1)).toBe(true);

    // Subscribing again sends nothing more; a reading sent while subscribed is answered once, as usual.
    await client.unsubscribeAsync(replyTopic(glucometer.code));
    await client.subscribeAsync(replyTopic(glucometer.code), { qos: 1 });
    await client.publishAsync(deviceTopic(glucometer.code, 'readings'), reading(6), { qos: 1 });
    await expect.poll(() => replies.length, { timeout: 5000 }).toBe(6);
    await settle();
    expect(replies.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    const pending = await t.db
      .select()
      .from(deviceMessages)
      .where(and(eq(deviceMessages.deviceId, glucometer.id), eq(deviceMessages.replyPending, true)));
    expect(pending).toEqual([]);
    await client.endAsync();
  });

  it('delivers the rejection of a forbidden publish before the disconnect', async () => {
    const client = await connectDevice(broker.port, glucometer.code, glucometer.password);
    await client.subscribeAsync(replyTopic(glucometer.code), { qos: 1 });
    const events: string[] = [];
    const refusals: unknown[] = [];
    client.on('message', (topic, payload) => {
      if (topic !== replyTopic(glucometer.code)) return;
      const reply = JSON.parse(payload.toString());
      refusals.push(reply.error);
      events.push(`reply:${reply.error?.code}`);
    });
    const closed = new Promise<void>((resolve) =>
      client.once('close', () => {
        events.push('close');
        resolve();
      }),
    );
    client.publish(deviceTopic('SOMEONE-ELSE', 'readings'), reading(99), { qos: 1 });
    await closed;
    expect(events).toEqual(['reply:forbidden', 'close']);
    expect(refusals).toEqual([
      expect.objectContaining({
        code: 'forbidden',
        key: 'device_topic_forbidden',
        advice: 'stop',
        message: `You may publish only under scorta/devices/${glucometer.code}/.`,
        messageIt: `Puoi pubblicare solo sotto scorta/devices/${glucometer.code}/.`,
        fields: [{ field: '(topic)', message: deviceTopic('SOMEONE-ELSE', 'readings') }],
      }),
    ]);
    client.end(true);
  });
});
