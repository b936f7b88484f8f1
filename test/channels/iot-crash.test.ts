import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { deviceTopic, replyTopic } from '../../api/devices/topics.ts';
import postgres from 'postgres';
import { openDatabase } from '../../server/database.ts';
import { drivers, postgresUrl, type Driver } from '../helpers/database.ts';
import { buildGlucometerSite } from '../helpers/device-site.ts';
import { ledgerMismatches, rows } from '../helpers/ledger.ts';

const devices = 10;
const perDevice = 1000; // 10,000 readings in all
const root = join(import.meta.dirname, '..', '..');

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/** `npm start`'s entry point as its own process, on the data directory and ports given; resolves once the broker listens. */
function startScorta(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('Scorta is running.')) resolve(child);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`Scorta exited (${code}) before it was ready:\n${out}`)));
  });
}

/**
 * The crash test: Scorta is killed (SIGKILL, no shutdown) in the middle of a QoS 1 burst of 10,000
 * readings and started again on the same data; the devices reconnect and resend what was not acknowledged.
 * Afterwards every reading must have been applied exactly once: one stored message and one strip and one
 * lancet consumed per reading, balances equal to the ledger.
 */
/** Where the Scorta process keeps its data: a PGlite directory, or a fresh PostgreSQL database. */
async function storage(driver: Driver, dir: string) {
  if (driver === 'pglite') {
    const dataDir = join(dir, 'pglite');
    return { env: { SCORTA_DATA_DIR: dataDir, DATABASE_URL: '' }, open: () => openDatabase({ dataDir }), drop: async () => {} };
  }
  const admin = postgres(postgresUrl!, { max: 1, onnotice: () => {} });
  const name = `scorta_crash_${Date.now().toString(36)}`;
  await admin.unsafe(`create database ${name}`);
  const url = new URL(postgresUrl!);
  url.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: url.toString(), SCORTA_DATA_DIR: join(dir, 'unused') },
    open: () => openDatabase({ databaseUrl: url.toString(), dataDir: '' }),
    drop: async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

describe.each(drivers)('a crash during a QoS 1 burst (Scorta as its own process, %s)', (driver) => {
  let dir: string;
  let store: Awaited<ReturnType<typeof storage>> | undefined;
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
    store = await storage(driver, dir);
    const setup = await store.open();
    const site = await buildGlucometerSite(setup.db, { devices, strips: perDevice + 10, lancets: perDevice + 10 });
    await setup.close();

    const env = { ...store.env, MQTT_URL: '', SCORTA_DEMO: 'false', PORT: String(await freePort()), MQTT_PORT: String(await freePort()), MQTT_WS_PORT: 'off', HOST: '127.0.0.1' };
    child = await startScorta(env);

    // Auto-reconnect; after the restart mqtt.js resends what was not acknowledged, then resubscribes.
    const heard: Set<number>[] = [];
    // Auto-reconnect; unacknowledged QoS 1 publishes stay in each client's outgoing store and are resent.
    for (const device of site.devices) {
      const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${env.MQTT_PORT}`, { clientId: device.code, username: device.code, password: device.password, clean: false, reconnectPeriod: 250, connectTimeout: 30_000 });
      client.on('error', () => {}); // refused or timed out while Scorta is down: the client keeps retrying
      const replies = new Set<number>();
      client.on('message', (topic, payload) => topic === replyTopic(device.code) && replies.add(JSON.parse(payload.toString()).seq));
      await client.subscribeAsync(replyTopic(device.code), { qos: 1 });
      heard.push(replies);
      clients.push(client);
    }
    let acked = 0;
    const done = site.devices.map((device, d) =>
      Promise.all(
        Array.from({ length: perDevice }, (_, i) =>
          clients[d]!.publishAsync(deviceTopic(device.code, 'readings'), JSON.stringify({ seq: i + 1, ts: new Date().toISOString(), type: 'glucose', value: 100 }), { qos: 1 }).then(() => void acked++),
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
    await expect.poll(() => heard.reduce((n, seqs) => n + seqs.size, 0), { timeout: 60_000, interval: 200 }).toBe(devices * perDevice);

    for (const c of clients.splice(0)) await c.endAsync();
    child.kill('SIGTERM');
    await new Promise((r) => child!.once('exit', r));
    child = undefined;

    const after = await store.open();
    try {
      const [counts] = await rows<{ messages: number; accepted: number; strips: number; lancets: number }>(after.db, sql`
        select (select count(*)::int from device_messages) as messages,
               (select count(*)::int from device_messages where outcome = 'accepted') as accepted,
               (select coalesce(sum(quantity), 0)::int from movements where kind = 'consumption' and item_id = ${site.strips.id}) as strips,
               (select coalesce(sum(quantity), 0)::int from movements where kind = 'consumption' and item_id = ${site.lancets.id}) as lancets`);
      expect(counts).toEqual({ messages: devices * perDevice, accepted: devices * perDevice, strips: devices * perDevice, lancets: devices * perDevice });
      const perHome = await rows<{ quantity: number }>(after.db, sql`select quantity from stock_balances where item_id = ${site.strips.id} and location_id in (select id from locations where kind = 'home')`);
      expect(perHome.map((r) => r.quantity)).toEqual(new Array(devices).fill(10));
      expect(await ledgerMismatches(after.db)).toEqual([]);
    } finally {
      await after.close();
    }
  }, 600_000);
});
