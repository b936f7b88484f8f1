import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MqttClient } from 'mqtt';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { deviceTopic, replyTopic } from '../../iot/topics.ts';
import { drivers, postgresUrl } from '../helpers/database.ts';
import { buildGlucometerSite, siteReadingCounts } from '../helpers/device-site.ts';
import { ledgerMismatches, rows } from '../helpers/ledger.ts';
import { connectPersistentDevice } from '../helpers/mqtt.ts';
import { processStorage, soloScortaEnv, startScorta } from '../helpers/scorta-process.ts';

const devices = 10;
const perDevice = 1000; // 10,000 readings in all

/**
 * The crash test: Scorta is killed (SIGKILL, no shutdown) in the middle of a QoS 1 burst of 10,000
 * readings and started again on the same data; the devices reconnect and resend what was not acknowledged.
 * Afterwards every reading must have been applied exactly once: one stored message and one strip and one
 * lancet consumed per reading, balances equal to the ledger.
 */
describe.each(drivers)('a crash during a QoS 1 burst (Scorta as its own process, %s)', (driver) => {
  let dir: string;
  let store: Awaited<ReturnType<typeof processStorage>> | undefined;
  let child: ChildProcess | undefined;
  const clients: MqttClient[] = [];
  afterAll(async () => {
    child?.kill('SIGKILL');
    for (const c of clients) c.end(true);
    await store?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('applies each of 10,000 readings exactly once after a kill and a restart, and every device hears every reply', async () => {
    dir = await mkdtemp(join(tmpdir(), 'scorta-crash-'));
    store = await processStorage(driver, dir, postgresUrl);
    const setup = await store.open();
    const site = await buildGlucometerSite(setup.db, { devices, strips: perDevice + 10, lancets: perDevice + 10 });
    await setup.close();

    const env = await soloScortaEnv(store);
    child = await startScorta(env);

    // Auto-reconnect; after the restart mqtt.js resends what was not acknowledged, then resubscribes.
    const heard: Set<number>[] = [];
    // Auto-reconnect; unacknowledged QoS 1 publishes stay in each client's outgoing store and are resent.
    for (const device of site.devices) {
      const client = await connectPersistentDevice(Number(env.MQTT_PORT), device);
      const replies = new Set<number>();
      client.on(
        'message',
        (topic, payload) => topic === replyTopic(device.code) && replies.add(JSON.parse(payload.toString()).seq),
      );
      await client.subscribeAsync(replyTopic(device.code), { qos: 1 });
      heard.push(replies);
      clients.push(client);
    }
    let acked = 0;
    const done = site.devices.map((device, d) =>
      Promise.all(
        Array.from({ length: perDevice }, (_, i) =>
          clients[d]!.publishAsync(
            deviceTopic(device.code, 'readings'),
            JSON.stringify({ seq: i + 1, ts: new Date().toISOString(), type: 'glucose', value: 100 }),
            { qos: 1 },
          ).then(() => void acked++),
        ),
      ),
    );

    // Kill it once a fifth of the burst is acknowledged: thousands are in flight or still queued.
    while (acked < (devices * perDevice) / 5) await new Promise((r) => setTimeout(r, 20));
    const ackedAtKill = acked;
    child.kill('SIGKILL');
    await new Promise((r) => child!.once('exit', r));
    child = await startScorta(env);
    await Promise.all(done);
    expect(ackedAtKill).toBeLessThan(devices * perDevice);
    expect(acked).toBe(devices * perDevice);
    // Every device hears the reply to every one of its readings, those resent before it resubscribed included.
    await expect
      .poll(() => heard.reduce((n, seqs) => n + seqs.size, 0), { timeout: 60_000, interval: 200 })
      .toBe(devices * perDevice);

    for (const c of clients.splice(0)) await c.endAsync();
    child.kill('SIGTERM');
    await new Promise((r) => child!.once('exit', r));
    child = undefined;

    const after = await store.open();
    try {
      const counts = await siteReadingCounts(after.db, site);
      expect(counts).toEqual({
        messages: devices * perDevice,
        accepted: devices * perDevice,
        strips: devices * perDevice,
        lancets: devices * perDevice,
      });
      const perHome = await rows<{ quantity: number }>(
        after.db,
        sql`select quantity from stock_balances where item_id = ${site.strips.id} and location_id in (select id from locations where kind = 'home')`,
      );
      expect(perHome.map((r) => r.quantity)).toEqual(new Array(devices).fill(10));
      expect(await ledgerMismatches(after.db)).toEqual([]);
    } finally {
      await after.close();
    }
  }, 600_000);
});
