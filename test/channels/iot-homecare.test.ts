import mqtt, { type MqttClient } from 'mqtt';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Context } from '../../api/core/context.ts';
import { listAlerts, sweepSilentDevices } from '../../api/devices/alerts.ts';
import { registerDevice } from '../../api/devices/register-device.ts';
import { deviceTopic, replyTopic } from '../../iot/topics.ts';
import { createItem } from '../../api/catalogue/items.ts';
import { homeCareOverview } from '../../api/homecare/home-care-overview.ts';
import { setSupplyPlan } from '../../api/homecare/set-supply-plan.ts';
import { sweepHomeDeliveries } from '../../api/homecare/sweep-deliveries.ts';
import { issueStock } from '../../api/stock/issue-stock.ts';
import { receiveGoods } from '../../api/stock/receive-goods.ts';
import { deviceConsumptionRules, devices, wardRequests } from '../../db/schema/index.ts';
import { startBroker, type DeviceBroker } from '../../iot/broker.ts';
import { openTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { buildHospital, type Hospital } from '../helpers/fixture.ts';
import { sendAndAwaitReply } from '../helpers/mqtt.ts';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };
const day = 86_400_000;
const hour = 3_600_000;

const send = (client: MqttClient, code: string, body: { seq: number }) =>
  sendAndAwaitReply(client, code, 'readings', body);

/** Polls `check` until it holds (the broker applies heartbeats asynchronously of the test). */
async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, ms = 5000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (check(value) || Date.now() > until) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('home care fed by a glucometer over MQTT (embedded aedes, real client)', () => {
  let t: TestDatabase;
  let h: Hospital;
  let broker: DeviceBroker;
  let glucometer: { id: string; code: string; password: string };
  let strips: { id: string };
  let lancets: { id: string };
  // The broker runs on the real clock, so these actions do too.
  const real = (actor: Hospital['actors'][keyof Hospital['actors']], at = () => new Date()): Context => ({
    db: t.db,
    actor,
    now: at,
  });

  beforeAll(async () => {
    t = await openTestDatabase('pglite');
    h = await buildHospital(t.db);
    const item = (code: string, name: string) =>
      createItem({
        ctx: h.sys,
        input: { code, name, nameEn: name, categoryId: h.category.id, unit: 'pz', referencePrice: 0.3 },
      });
    strips = await item('DIAG-STR', 'Strisce glicemia');
    lancets = await item('DIAG-LAN', 'Lancette');
    const sys = real(h.actors.admin);
    await receiveGoods({
      ctx: sys,
      input: {
        locationId: h.warehouse.id,
        occurredAt: new Date(Date.now() - 10 * day).toISOString(),
        lines: [
          { itemId: strips.id, lotCode: 'S1', expiry: '2030-01-31', quantity: 500 },
          { itemId: lancets.id, lotCode: 'L1', expiry: '2030-01-31', quantity: 500 },
        ],
      },
    });
    await issueStock({
      ctx: sys,
      input: {
        fromLocationId: h.warehouse.id,
        toLocationId: h.home.id,
        occurredAt: new Date(Date.now() - 9 * day).toISOString(),
        lines: [
          { itemId: strips.id, quantity: 40 },
          { itemId: lancets.id, quantity: 60 },
        ],
      },
    });
    await t.db.insert(deviceConsumptionRules).values([
      { organisationId: h.org.id, deviceKind: 'glucometer', event: 'glucose', itemId: strips.id, quantity: 1 },
      { organisationId: h.org.id, deviceKind: 'glucometer', event: 'glucose', itemId: lancets.id, quantity: 1 },
    ]);
    // The team set the plan eight days ago: four glucose tests a day.
    const planned = real(h.actors.homeCare, () => new Date(Date.now() - 8 * day));
    for (const itemId of [strips.id, lancets.id])
      await setSupplyPlan({ ctx: planned, input: { locationId: h.home.id, itemId, dailyQuantity: 4 } });
    glucometer = await registerDevice({
      ctx: sys,
      input: {
        code: 'GLU-P001',
        kind: 'glucometer',
        name: 'Glucometro P-001',
        locationId: h.home.id,
        expectedIntervalSeconds: 6 * 3600,
      },
    });
    broker = await startBroker({ db: t.db, port: 0, log: quiet });
  }, 120_000);
  afterAll(async () => {
    await broker?.close();
    await t?.close();
  });

  it('turns a week of readings into real use: the forecast, the delivery request and the team list follow', {
    timeout: 60_000,
  }, async () => {
    const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, {
      clientId: glucometer.code,
      username: glucometer.code,
      password: glucometer.password,
      reconnectPeriod: 0,
    });
    await client.subscribeAsync(replyTopic(glucometer.code), { qos: 1 });
    // Four measurements a day over the last eight days (the device uploads its memory): 32 strips and lancets.
    let seq = 0;
    let last: any;
    for (let d = 7; d >= 0; d--) {
      for (let k = 1; k <= 4; k++) {
        last = await send(client, glucometer.code, {
          seq: ++seq,
          ts: new Date(Date.now() - d * day - k * 1800_000).toISOString(),
          type: 'glucose',
          value: 110 + k,
          unit: 'mg/dL',
        } as never);
        expect(last).toMatchObject({ status: 'accepted', movements: 2 });
      }
    }
    expect(last).toMatchObject({ status: 'accepted' });
    // 8 strips left at about 4 a day: two days, less than the three of a home delivery — urgent. The batched
    // ingest may skip the check while the policy it stored a moment ago (before the upload showed the real
    // rate) is fresh; the sweeper's delivery check catches it: one request, whoever emitted it.
    await sweepHomeDeliveries({ ctx: real(h.actors.admin) });
    const open = await t.db
      .select()
      .from(wardRequests)
      .where(and(eq(wardRequests.autoKey, `${h.home.id}|${strips.id}`), eq(wardRequests.status, 'submitted')));
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ urgency: 'urgent' });
    expect(open[0]!.origin).toMatchObject({ kind: 'under_stock', plan: 4, rateSource: 'real' });

    const overview = await homeCareOverview({ ctx: real(h.actors.homeCare), input: {} });
    const [patient] = overview.patients;
    expect(patient).toMatchObject({ patientCode: 'P-001' });
    const str = patient!.items.find((i) => i.itemId === strips.id)!;
    expect(str).toMatchObject({ available: 8, planDaily: 4, rateSource: 'real', farFromPlan: false });
    expect(str.realDaily).toBeGreaterThan(3.4);
    expect(str.realDaily).toBeLessThanOrEqual(4);
    expect(str.daysOfCover).toBeCloseTo(8 / str.realDaily, 0);
    expect(patient!.items[0]!.itemId).toBe(strips.id); // fewest days first: strips (8 left) before lancets (28 left)
    expect(patient!.devices).toEqual([expect.objectContaining({ code: 'GLU-P001', online: 'online', silent: false })]);
    expect(patient!.openRequests.map((r) => r.id)).toContain(open[0]!.id);
    await client.endAsync();
  });

  it('raises a silent alert for a quiet glucometer and clears it when a heartbeat arrives over MQTT', {
    timeout: 30_000,
  }, async () => {
    await t.db
      .update(devices)
      .set({ lastSeenAt: new Date(Date.now() - 13 * hour), online: 'offline' })
      .where(eq(devices.id, glucometer.id));
    const swept = await sweepSilentDevices({ ctx: real(h.actors.admin) });
    expect(swept.raised).toHaveLength(1);
    const silent = await homeCareOverview({ ctx: real(h.actors.homeCare), input: {} });
    expect(silent.patients[0]!.devices[0]).toMatchObject({
      silent: true,
      openAlerts: [expect.objectContaining({ kind: 'silent' })],
    });

    const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, {
      clientId: glucometer.code,
      username: glucometer.code,
      password: glucometer.password,
      reconnectPeriod: 0,
    });
    await client.publishAsync(
      deviceTopic(glucometer.code, 'heartbeat'),
      JSON.stringify({ seq: 1000, ts: new Date().toISOString(), battery: 80 }),
      { qos: 1 },
    );
    const alerts = await eventually(
      () => listAlerts({ ctx: real(h.actors.homeCare), input: { open: true } }),
      (page) => page.data.length === 0,
    );
    expect(alerts.data).toEqual([]);
    expect(await sweepSilentDevices({ ctx: real(h.actors.admin) })).toEqual({ raised: [], resolved: swept.raised });
    const back = await homeCareOverview({ ctx: real(h.actors.homeCare), input: {} });
    expect(back.patients[0]!.devices[0]).toMatchObject({ silent: false, online: 'online', openAlerts: [] });
    await client.endAsync();
  });
});
