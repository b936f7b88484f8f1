import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, count, eq } from 'drizzle-orm';
import { registerDevice, revokeDevice } from '../../api/devices/register-device.ts';
import { deviceTopic, replyTopic } from '../../iot/topics.ts';
import { getStock } from '../../api/stock/get-stock.ts';
import type { Database } from '../../db/client.ts';
import { deviceMessages, movements, notifications } from '../../db/schema/index.ts';
import { connectBroker, type DeviceBridge } from '../../iot/bridge.ts';
import { quarantineLot } from '../../api/lots/quarantine-lot.ts';
import { startDeviceChannel } from '../../server/device-channel.ts';
import { startOutboxDispatcher } from '../../server/dispatcher.ts';
import { Env } from '../../server/env.ts';
import { glucometerAtHome, receiveLots, stockCabinet } from '../helpers/device-stock.ts';
import { lotByCode } from '../helpers/ledger.ts';
import { collectReplies } from '../helpers/mqtt.ts';
import { openTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { buildHospital, type Hospital } from '../helpers/fixture.ts';

// Runs against a real external broker (CI: the machine's Mosquitto 2.0 on 127.0.0.1:1883, anonymous allowed).
// Mosquitto is shared and persistent: device codes, client ids and the share group are unique per run, and
// the sessions are short-lived (and ended at the end).
const url = process.env.MQTT_URL;
const run = `${Date.now().toString(36)}${crypto.randomUUID().slice(0, 4)}`.toUpperCase(); // unique names on a shared broker, not a random choice
const group = `scorta-test-${run}`;
const ids = { a: `scorta-test-${run}-a`, b: `scorta-test-${run}-b`, c: `scorta-test-${run}-c` };
const quiet = { info: () => {}, warn: () => {}, error: () => {} };

/** A database whose next transaction fails once, as when PostgreSQL goes away for a moment. */
function flaky(db: Database) {
  let failures = 0;
  const proxy = new Proxy(db, {
    get(target, prop) {
      if (prop === 'transaction' && failures > 0) {
        failures--;
        return () => Promise.reject(new Error('connection terminated (simulated)'));
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  // Twice: a reading's batch fails, then its one-by-one retry; only then does the message go unacknowledged.
  return { db: proxy, failTwice: () => (failures = 2) };
}

/** A device as a plain MQTT client of the broker (the broker, not Scorta, would check its credentials). */
async function device(code: string) {
  const client: MqttClient = await mqtt.connectAsync(
    url!,
    { clientId: `dev-${code}`, protocolVersion: 5, reconnectPeriod: 0, connectTimeout: 5000 },
    false,
  );
  const replies = collectReplies(client, code);
  await client.subscribeAsync(replyTopic(code), { qos: 1 });
  const reading = (seq: number) =>
    JSON.stringify({ seq, ts: new Date().toISOString(), type: 'glucose', value: 100 + seq, unit: 'mg/dL' });
  return {
    client,
    replies,
    send: (seq: number) => client.publishAsync(deviceTopic(code, 'readings'), reading(seq), { qos: 1 }),
    /** Waits until replies to all these sequence numbers have come (in any order). */
    async waitFor(seqs: number[], timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (!seqs.every((s) => replies.some((r) => r.seq === s))) {
        if (Date.now() > deadline)
          throw new Error(`no reply to ${seqs.filter((s) => !replies.some((r) => r.seq === s)).join(', ')}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return seqs.map((s) => replies.find((r) => r.seq === s));
    },
  };
}

describe.skipIf(!url)('devices through an external broker (MQTT_URL, shared subscription, persistent session)', () => {
  let t: TestDatabase;
  let h: Hospital;
  let flakyDb: ReturnType<typeof flaky>;
  const bridges: DeviceBridge[] = [];
  const code = `GLU-${run}`;
  let glucometerId: string;
  let dev: Awaited<ReturnType<typeof device>>;
  const errors: string[] = [];
  const connect = async (clientId: string, db: Database = t.db) => {
    const log = { ...quiet, error: (...args: unknown[]) => errors.push(String(args[0])) };
    const bridge = await connectBroker({ db, url: url!, clientId, group, sessionExpirySeconds: 300, log });
    bridges.push(bridge);
    return bridge;
  };
  const onHand = async () => (await getStock({ ctx: h.sys, input: { locationId: h.home.id } })).totals[0]?.onHand;
  const messagesOf = async () =>
    (await t.db.select({ n: count() }).from(deviceMessages).where(eq(deviceMessages.deviceId, glucometerId)))[0]!.n;

  beforeAll(async () => {
    t = await openTestDatabase('pglite');
    h = await buildHospital(t.db);
    flakyDb = flaky(t.db);
    glucometerId = (await glucometerAtHome(h, { code, name: 'Glucometro ponte' }, { received: 500, atHome: 100 })).id;
    dev = await device(code);
  });
  afterAll(async () => {
    for (const bridge of bridges) await bridge.close().catch(() => {});
    // End this run's sessions on the shared broker, so nothing more is queued for them.
    for (const clientId of Object.values(ids)) {
      const c = await mqtt
        .connectAsync(
          url!,
          { clientId, protocolVersion: 5, clean: true, properties: { sessionExpiryInterval: 0 }, reconnectPeriod: 0 },
          false,
        )
        .catch(() => null);
      await c?.endAsync();
    }
    await dev?.client.endAsync();
    await t?.close();
  });

  it('applies a reading published by a device and replies on its reply topic', async () => {
    await connect(ids.a, flakyDb.db);
    await dev.send(1);
    const [reply] = await dev.waitFor([1]);
    expect(reply).toMatchObject({ seq: 1, status: 'accepted', movements: 1 });
    expect(await onHand()).toBe(99);
  });

  it('applies a redelivered message (same seq) once and answers it as a duplicate', async () => {
    dev.replies.length = 0;
    await dev.send(1);
    const [again] = await dev.waitFor([1]);
    expect(again).toMatchObject({ seq: 1, status: 'accepted', duplicate: true });
    expect(await onHand()).toBe(99);
    expect(await messagesOf()).toBe(1);
  });

  it('ignores a device this database never registered (another deployment on a shared broker) and refuses a revoked one on its reply topic', async () => {
    const stranger = await device(`NOPE-${run}`);
    const revokedCode = `GLU-R-${run}`;
    const registered = await registerDevice({
      ctx: h.sys,
      input: { code: revokedCode, kind: 'glucometer', name: 'Glucometro revocato', locationId: h.home.id },
    });
    await revokeDevice({ ctx: h.sys, id: registered.id });
    const revoked = await device(revokedCode);
    const before = {
      movements: (await t.db.select({ n: count() }).from(movements))[0]!.n,
      messages: (await t.db.select({ n: count() }).from(deviceMessages))[0]!.n,
    };
    await stranger.send(7);
    await revoked.send(8);
    const [reply] = await revoked.waitFor([8]);
    expect(reply).toMatchObject({
      seq: 8,
      status: 'rejected',
      error: { code: 'unauthorized', key: 'device_revoked', advice: 'stop' },
    });
    expect(reply.error.messageIt).toContain('revocato');
    await new Promise((r) => setTimeout(r, 1000)); // time for an answer to the stranger, were one sent
    expect(stranger.replies).toEqual([]);
    expect((await t.db.select({ n: count() }).from(movements))[0]!.n).toBe(before.movements);
    expect((await t.db.select({ n: count() }).from(deviceMessages))[0]!.n).toBe(before.messages);
    await stranger.client.endAsync();
    await revoked.client.endAsync();
  });

  it('shares the load between two instances, each message applied exactly once across both', async () => {
    const [a] = bridges;
    const b = await connect(ids.b);
    const before = { a: a!.handled, b: b.handled, stock: await onHand() };
    const seqs = Array.from({ length: 20 }, (_, i) => 10 + i);
    for (const seq of seqs) await dev.send(seq);
    const replies = await dev.waitFor(seqs);
    expect(replies.every((r) => r.status === 'accepted' && !r.duplicate)).toBe(true);
    expect(await onHand()).toBe(before.stock! - 20);
    expect(await messagesOf()).toBe(21);
    const byA = a!.handled - before.a;
    const byB = b.handled - before.b;
    expect(byA + byB).toBe(20);
    expect(byA).toBeGreaterThan(0);
    expect(byB).toBeGreaterThan(0);
  });

  it('applies messages published while Scorta was disconnected once it reconnects (persistent session)', async () => {
    for (const bridge of bridges.splice(0)) await bridge.close();
    const stock = await onHand();
    const seqs = [40, 41, 42, 43];
    for (const seq of seqs) await dev.send(seq); // acknowledged by the broker, queued for the sessions
    await new Promise((r) => setTimeout(r, 300));
    expect(await onHand()).toBe(stock);
    await connect(ids.a, flakyDb.db);
    await connect(ids.b);
    const replies = await dev.waitFor(seqs);
    expect(replies.map((r) => r.status)).toEqual(['accepted', 'accepted', 'accepted', 'accepted']);
    expect(await onHand()).toBe(stock! - 4);
  });

  it('does not acknowledge a message whose transaction failed: the broker redelivers it and it is applied once', async () => {
    await bridges.pop()!.close({ forget: true }); // only instance a (on the flaky database) remains in the group
    const stock = await onHand();
    flakyDb.failTwice();
    await dev.send(50);
    const [reply] = await dev.waitFor([50], 20_000);
    expect(reply).toMatchObject({ seq: 50, status: 'accepted', movements: 1 });
    expect(reply.duplicate).toBeUndefined();
    expect(await onHand()).toBe(stock! - 1);
    expect(errors).toContainEqual(expect.stringMatching(new RegExp(`${code} readings failed, not acknowledged`)));
  });

  it('marks a cabinet command delivered only once the broker has it: unsent while the broker is away, it goes out once when it is back', async () => {
    const cabinetCode = `ARM-${run}`;
    await receiveLots(h, [{ itemId: h.gloves.id, lotCode: 'G-CMD', expiry: '2029-01-31', quantity: 10 }]);
    await stockCabinet(h, h.gloves.id, { toStore: 10, toCabinet: 10 });
    const cabinetId = (
      await registerDevice({
        ctx: h.sys,
        input: { code: cabinetCode, kind: 'smart_cabinet', name: 'Armadio ponte', locationId: h.cabinet.id },
      })
    ).id;
    const cabinet = await mqtt.connectAsync(
      url!,
      { clientId: `dev-${cabinetCode}`, protocolVersion: 5, reconnectPeriod: 0, connectTimeout: 5000 },
      false,
    );
    const commands: any[] = [];
    cabinet.on('message', (_topic, payload) => commands.push(JSON.parse(payload.toString())));
    await cabinet.subscribeAsync(deviceTopic(cabinetCode, 'commands'), { qos: 1 });
    const env = Env.parse({ MQTT_URL: url, MQTT_CLIENT_ID: ids.c, MQTT_SHARE_GROUP: group });
    const command = async () =>
      (
        await t.db
          .select()
          .from(notifications)
          .where(and(eq(notifications.deviceId, cabinetId), eq(notifications.target, 'device')))
      )[0]!;

    // The server's device channel has lost its broker when the quarantine's command is dispatched.
    const away = await startDeviceChannel(env, t.db, 'localhost');
    await away.close();
    const first = startOutboxDispatcher({
      db: t.db,
      publish: away.publish,
      intervalMs: 3_600_000,
      log: { info: () => {}, error: () => {} },
    });
    await quarantineLot({
      ctx: h.sys,
      input: {
        lotId: (await lotByCode(t.db, h.gloves.id, 'G-CMD')).id,
        reason: 'Sospetto difetto',
        reference: 'NC-BRIDGE',
      },
    });
    await first.run();
    first.stop();
    expect(await command()).toMatchObject({
      deliveredAt: null,
      attempts: 1,
      lastError: expect.stringContaining('not connected'),
    });

    // Back: the next run publishes it, once.
    const back = await startDeviceChannel(env, t.db, 'localhost');
    const second = startOutboxDispatcher({
      db: t.db,
      publish: back.publish,
      intervalMs: 3_600_000,
      log: { info: () => {}, error: () => {} },
    });
    await second.run();
    await second.run();
    second.stop();
    const deadline = Date.now() + 5000;
    while (commands.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300));
    expect(commands).toEqual([expect.objectContaining({ command: 'lock_bins', lotCode: 'G-CMD' })]);
    expect((await command()).deliveredAt).not.toBeNull();
    await back.close();
    await cabinet.endAsync();
  });
});
