import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, count, eq, isNotNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceMessages, devices, locations, wardRequests } from '../../db/schema/index.ts';
import { startBroker, type DeviceBroker } from '../../iot/broker.ts';
import { runSimulation } from '../../iot/simulate.ts';
import { writeDemoDevices, type DemoDevice } from '../../demo/devices.ts';
import { prepareDemo } from '../../demo/prepare-demo.ts';
import { openTestDatabase, type TestDatabase } from '../helpers/database.ts';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };

describe('the device simulator against the embedded broker and the demo hospital', () => {
  let t: TestDatabase;
  let broker: DeviceBroker;
  let demoDevices: DemoDevice[];
  const dir = mkdtempSync(join(tmpdir(), 'scorta-sim-'));

  beforeAll(async () => {
    t = await openTestDatabase('pglite');
    demoDevices = (await prepareDemo(t.db)).devices ?? []; // ~15–40 s on PGlite
    broker = await startBroker({ db: t.db, port: 0, log: quiet });
  }, 240_000);
  afterAll(async () => {
    await broker?.close();
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('registers the demo devices with their rules and stock, and writes their credentials for the owner only', async () => {
    expect(demoDevices.map((d) => d.code).sort()).toEqual(['GLU-P001', 'GLU-P002', 'O2-P003', 'TI-ARM1-01']);
    const cabinet = demoDevices.find((d) => d.code === 'TI-ARM1-01')!;
    expect(cabinet).toMatchObject({
      organisation: 'AOPD',
      kind: 'smart_cabinet',
      location: 'TI-ARM1',
      expectedIntervalSeconds: 300,
    });
    expect(cabinet.bins!.length).toBeGreaterThanOrEqual(3);
    expect(cabinet.bins!.every((b) => b.count > 0)).toBe(true);
    expect(demoDevices.find((d) => d.code === 'GLU-P001')).toMatchObject({
      organisation: 'ULSS6',
      kind: 'glucometer',
      location: 'DOM-P001',
    });
    expect(Object.values(demoDevices.find((d) => d.code === 'GLU-P001')!.items).sort()).toEqual([
      'DIAG-LAN-28G',
      'DIAG-STR-GLI',
    ]);
    const stored = await t.db
      .select({ code: devices.code, location: locations.code })
      .from(devices)
      .innerJoin(locations, eq(locations.id, devices.locationId));
    expect(stored).toHaveLength(4);

    const file = join(dir, 'demo-devices.json');
    writeDemoDevices(file, demoDevices);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8')).devices).toHaveLength(4);
  });

  it('drives readings through the broker: accepted, and under-stock requests emitted or updated within half a minute', {
    timeout: 120_000,
  }, async () => {
    const lines: string[] = [];
    const statePath = join(dir, 'demo-devices.state.json');
    const run = () =>
      runSimulation({
        brokerUrl: `mqtt://127.0.0.1:${broker.port}`,
        devices: demoDevices,
        durationMs: 6_000,
        speed: 3,
        statePath,
        log: (l) => lines.push(l),
      });
    const summary = await run();
    expect(summary.connected.sort()).toEqual(['GLU-P001', 'GLU-P002', 'O2-P003', 'TI-ARM1-01']);
    expect(summary.accepted).toBeGreaterThan(5);
    expect(summary.duplicates).toBe(0);
    // Home deliveries due at load exist already (supply plans) and readings update them, the ICU cabinet crosses
    // its reorder levels; how soon depends on where in its pack the demo's stock stands at this hour of the day,
    // so the simulation goes on (sequence numbers continue from the saved state) for up to five rounds.
    const requests = [...summary.requests];
    for (let round = 1; round < 5 && !requests.some((r) => r.action === 'emitted' || r.action === 'updated'); round++) {
      const more = await run();
      expect(more.duplicates).toBe(0);
      requests.push(...more.requests);
    }
    expect(requests.some((r) => r.action === 'emitted' || r.action === 'updated')).toBe(true);
    expect(lines.some((l) => /^GLU-P00\d #\d+ accepted: 2 movements/.test(l))).toBe(true);
    expect(
      lines.some((l) => /accepted: .*request RIC-\d{4}-\d{6}( updated)? (normal|urgent|emergency): \d+ × /.test(l)),
    ).toBe(true);
    expect(lines.some((l) => /^O2-P003 #\d+ accepted: 0 movements \(no consumption rule/.test(l))).toBe(true);
    expect(lines.some((l) => /^TI-ARM1-01 #\d+ accepted: [1-9]\d* movements?/.test(l))).toBe(true);
    expect(lines.filter((l) => / rejected: /.test(l))).toEqual([]);

    const automatic = await t.db.select({ n: count() }).from(wardRequests).where(isNotNull(wardRequests.autoKey));
    expect(automatic[0]!.n).toBeGreaterThanOrEqual(1);
    const [glucometer] = await t.db.select().from(devices).where(eq(devices.code, 'GLU-P002'));
    const stored = await t.db
      .select({ n: count() })
      .from(deviceMessages)
      .where(and(eq(deviceMessages.deviceId, glucometer!.id), eq(deviceMessages.outcome, 'accepted')));
    expect(stored[0]!.n).toBeGreaterThan(0);

    // A restarted simulator continues its sequence numbers from the state file: nothing is seen twice.
    const again = await runSimulation({
      brokerUrl: `mqtt://127.0.0.1:${broker.port}`,
      devices: demoDevices,
      durationMs: 2_000,
      speed: 3,
      statePath,
      log: () => {},
    });
    expect(again.duplicates).toBe(0);
    for (const code of Object.keys(summary.lastSeq))
      if (again.lastSeq[code] !== undefined) expect(again.lastSeq[code]).toBeGreaterThan(summary.lastSeq[code]!);
    const state = JSON.parse(readFileSync(statePath, 'utf8'));
    expect(state.devices['TI-ARM1-01'].seq).toBe(again.lastSeq['TI-ARM1-01'] ?? summary.lastSeq['TI-ARM1-01']);

    // With its state lost, a device hears "duplicate" for a number Scorta holds, and skips ahead.
    rmSync(statePath);
    const lost: string[] = [];
    const afresh = await runSimulation({
      brokerUrl: `mqtt://127.0.0.1:${broker.port}`,
      devices: demoDevices.filter((d) => d.code === 'GLU-P001'),
      durationMs: 2_500,
      speed: 3,
      statePath,
      log: (l) => lost.push(l),
    });
    expect(afresh.duplicates).toBeGreaterThanOrEqual(1);
    expect(lost.some((l) => /GLU-P001: sequence number \d+ was used before; continuing from \d+/.test(l))).toBe(true);
    expect(JSON.parse(readFileSync(statePath, 'utf8')).devices['GLU-P001'].seq).toBeGreaterThan(1000);
  });
});
