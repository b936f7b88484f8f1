/**
 * Crash storm: Scorta runs as its own process (`npm start`'s entry point) while `--devices` glucometers, real MQTT
 * clients with persistent sessions listening on their reply topics, send a QoS 1 burst of `--per-device` readings
 * each; Scorta is killed with SIGKILL `--kills` times during the burst (after 20 %, 40 %, … of the readings are
 * acknowledged) and started again on the same data each time. The devices reconnect and resend what was not
 * acknowledged, as real devices do.
 *
 * Then it checks, and prints: every reading stored exactly once (one stored message, one strip and one lancet per
 * reading, balances equal to the ledger), and every reading answered on the device's reply topic (replies received,
 * missing, and repeated). Exits 1 when a reading was lost or applied twice, or when a device never heard an answer.
 *
 * npm run bench:storm -- [--driver postgres|pglite] [--devices 10] [--per-device 1000] [--kills 3] [--settle-ms 15000]
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { MqttClient } from 'mqtt';
import { deviceTopic, replyTopic } from '../iot/topics.ts';
import { buildGlucometerSite, siteReadingCounts } from '../test/helpers/device-site.ts';
import { ledgerMismatches } from '../test/helpers/ledger.ts';
import { connectPersistentDevice } from '../test/helpers/mqtt.ts';
import { killScorta, processStorage, soloScortaEnv, startScorta } from '../test/helpers/scorta-process.ts';

const { values: args } = parseArgs({
  options: {
    driver: { type: 'string' },
    devices: { type: 'string', default: '10' },
    'per-device': { type: 'string', default: '1000' },
    kills: { type: 'string', default: '3' },
    'settle-ms': { type: 'string', default: '15000' },
  },
});
const int = (name: string, value: string | undefined, min: number) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min}, got ${value}`);
  return n;
};
const devices = int('devices', args.devices, 1);
const perDevice = int('per-device', args['per-device'], 1);
const kills = int('kills', args.kills, 0);
const settleMs = int('settle-ms', args['settle-ms'], 0);
const driver = (args.driver ?? (process.env.DATABASE_URL ? 'postgres' : 'pglite')) as 'postgres' | 'pglite';
if (driver === 'postgres' && !process.env.DATABASE_URL) throw new Error('--driver postgres needs DATABASE_URL');
const total = devices * perDevice;

const dir = await mkdtemp(join(tmpdir(), 'scorta-storm-'));
const store = await processStorage(driver, dir, process.env.DATABASE_URL);
let child: ChildProcess | undefined;
const clients: MqttClient[] = [];
let failed = false;
try {
  const setup = await store.open();
  const site = await buildGlucometerSite(setup.db, { devices, strips: perDevice + 10, lancets: perDevice + 10 });
  await setup.close();
  const env = await soloScortaEnv(store);
  child = await startScorta(env);

  const replies = site.devices.map(() => new Map<number, number>());
  for (const [d, device] of site.devices.entries()) {
    const client = await connectPersistentDevice(Number(env.MQTT_PORT), device);
    client.on('message', (topic, payload) => {
      if (topic !== replyTopic(device.code)) return;
      const seq = Number(JSON.parse(payload.toString()).seq);
      replies[d]!.set(seq, (replies[d]!.get(seq) ?? 0) + 1);
    });
    await client.subscribeAsync(replyTopic(device.code), { qos: 1 });
    clients.push(client);
  }

  let acked = 0;
  const started = performance.now();
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
  for (let k = 1; k <= kills; k++) {
    const at = Math.floor((total * k) / (kills + 2));
    while (acked < at) await new Promise((r) => setTimeout(r, 10));
    console.log(
      `kill ${k}: SIGKILL after ${acked.toLocaleString('en')} of ${total.toLocaleString('en')} readings acknowledged`,
    );
    await killScorta(child);
    child = await startScorta(env);
  }
  await Promise.all(done);
  const burstSeconds = (performance.now() - started) / 1000;
  const settleUntil = Date.now() + settleMs;
  const heard = () => replies.reduce((n, m) => n + m.size, 0);
  while (heard() < total && Date.now() < settleUntil) await new Promise((r) => setTimeout(r, 100));

  for (const c of clients.splice(0)) await c.endAsync();
  await killScorta(child, 'SIGTERM');
  child = undefined;

  const after = await store.open();
  try {
    const counts = await siteReadingCounts(after.db, site);
    const mismatches = await ledgerMismatches(after.db);
    const repeated = replies.reduce((n, m) => n + [...m.values()].filter((c) => c > 1).length, 0);
    const missing = total - heard();
    const exactlyOnce =
      counts.messages === total &&
      counts.accepted === total &&
      counts.strips === total &&
      counts.lancets === total &&
      mismatches.length === 0;
    console.log(
      `driver ${driver}: ${devices} devices × ${perDevice} readings = ${total.toLocaleString('en')}, ${kills} kills, burst ${burstSeconds.toFixed(1)} s`,
    );
    console.log(
      `stored ${counts.messages.toLocaleString('en')} (accepted ${counts.accepted.toLocaleString('en')}), strips ${counts.strips}, lancets ${counts.lancets}, ledger mismatches ${mismatches.length}: exactly once ${exactlyOnce ? 'held' : 'BROKEN'}`,
    );
    console.log(
      `replies heard for ${heard().toLocaleString('en')} of ${total.toLocaleString('en')} readings (missing ${missing}, heard more than once ${repeated})`,
    );
    failed = !exactlyOnce || missing > 0;
  } finally {
    await after.close();
  }
} finally {
  for (const c of clients) c.end(true);
  if (child) await killScorta(child);
  await store.drop();
  await rm(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
