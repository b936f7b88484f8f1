import { and, count, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, loadGrants } from '../../api/access/users.ts';
import type { Actor, Context } from '../../api/core/context.ts';
import { listAlerts, sweepSilentDevices } from '../../api/devices/alerts.ts';
import { markDeviceSeen, registerDevice, revokeDevice } from '../../api/devices/register-device.ts';
import { endSupplyPlan } from '../../api/homecare/end-supply-plan.ts';
import { homeCareOverview } from '../../api/homecare/home-care-overview.ts';
import { listSupplyPlans } from '../../api/homecare/list-supply-plans.ts';
import { setSupplyPlan } from '../../api/homecare/set-supply-plan.ts';
import { sweepHomeDeliveries } from '../../api/homecare/sweep-deliveries.ts';
import { createLocation } from '../../api/locations/locations.ts';
import { issueStock, returnStock } from '../../api/stock/issue-stock.ts';
import { receiveGoods } from '../../api/stock/receive-goods.ts';
import { recordConsumption } from '../../api/stock/record-consumption.ts';
import { auditLog, deviceAlerts, devices, requestLines, supplyPlans, wardRequests } from '../../db/schema/index.ts';
import { drivers, openTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { buildHospital, contextFor, createPieceItem, today, type Hospital } from '../helpers/fixture.ts';
import { failsWith, failsWithoutTrace } from '../helpers/ledger.ts';
import { startAlertSweeper } from '../../server/sweeper.ts';

const day = 86_400_000;
const hour = 3_600_000;
const ago = (ms: number) => new Date(today.getTime() - ms);

describe.each(drivers)('home care on %s', (driver) => {
  let t: TestDatabase;
  let h: Hospital;
  let strips: { id: string; code: string };
  let lancets: { id: string; code: string };
  let home2: { id: string };
  let teamB: { id: string };
  let homeB: { id: string };
  let otherTeam: Actor;
  const as = (actor: Actor, now: () => Date = () => today): Context => ({ ...contextFor(t.db, actor), now });
  const openAuto = async (locationId: string, itemId: string) =>
    t.db
      .select({ request: wardRequests, line: requestLines })
      .from(wardRequests)
      .innerJoin(requestLines, eq(requestLines.requestId, wardRequests.id))
      .where(and(eq(wardRequests.autoKey, `${locationId}|${itemId}`), eq(wardRequests.status, 'submitted')));
  const counts = async () => ({
    plans: (await t.db.select({ n: count() }).from(supplyPlans))[0]!.n,
    requests: (await t.db.select({ n: count() }).from(wardRequests))[0]!.n,
    alerts: (await t.db.select({ n: count() }).from(deviceAlerts))[0]!.n,
    audit: (await t.db.select({ n: count() }).from(auditLog))[0]!.n,
  });

  beforeAll(async () => {
    t = await openTestDatabase(driver);
    h = await buildHospital(t.db);
    const item = (code: string, name: string) => createPieceItem(h, code, name, name, { referencePrice: 0.3 });
    strips = await item('DIAG-STR', 'Strisce glicemia');
    lancets = await item('DIAG-LAN', 'Lancette pungidito');
    home2 = await createLocation({
      ctx: h.sys,
      input: { kind: 'home', code: 'DOM-P002', name: 'Domicilio P-002', parentId: h.homeCare.id, patientCode: 'P-002' },
    });
    teamB = await createLocation({ ctx: h.sys, input: { kind: 'ward', code: 'ADI-B', name: 'ADI distretto B' } });
    homeB = await createLocation({
      ctx: h.sys,
      input: { kind: 'home', code: 'DOM-P009', name: 'Domicilio P-009', parentId: teamB.id, patientCode: 'P-009' },
    });
    const u = await createUser({
      ctx: h.sys,
      input: { username: 'adi.b', displayName: 'ADI B', roles: [{ role: 'home_care', locationId: teamB.id }] },
    });
    otherTeam = {
      userId: u.id,
      organisationId: h.org.id,
      grants: await loadGrants({ db: t.db }, u.id),
      channel: 'http',
      via: 'user',
    };
    const at = (ms: number) => ({ occurredAt: ago(ms).toISOString() });
    await receiveGoods({
      ctx: h.sys,
      input: {
        locationId: h.warehouse.id,
        ...at(20 * day),
        lines: [
          { itemId: strips.id, lotCode: 'S1', expiry: '2028-01-31', quantity: 2000 },
          { itemId: lancets.id, lotCode: 'L1', expiry: '2028-01-31', quantity: 2000 },
        ],
      },
    });
    await issueStock({
      ctx: h.sys,
      input: {
        fromLocationId: h.warehouse.id,
        toLocationId: h.home.id,
        ...at(15 * day),
        lines: [
          { itemId: strips.id, quantity: 200 },
          { itemId: lancets.id, quantity: 100 },
        ],
      },
    });
    await issueStock({
      ctx: h.sys,
      input: {
        fromLocationId: h.warehouse.id,
        toLocationId: home2.id,
        ...at(15 * day),
        lines: [{ itemId: strips.id, quantity: 20 }],
      },
    });
    await issueStock({
      ctx: h.sys,
      input: {
        fromLocationId: h.warehouse.id,
        toLocationId: homeB.id,
        ...at(15 * day),
        lines: [{ itemId: strips.id, quantity: 500 }],
      },
    });
    // P-001 really uses 6 strips a day, every day of the last fifteen (today's at 08:00, before the clock's 09:00).
    for (let d = 14; d >= 0; d--)
      await recordConsumption({
        ctx: h.sys,
        input: { locationId: h.home.id, ...at(d * day + hour), lines: [{ itemId: strips.id, quantity: 6 }] },
      });
  });
  afterAll(() => t.close());

  describe('supply plans', () => {
    it('sets a plan for a home of the team, audited, and replays it on the same key', async () => {
      // The team set P-001's plan fourteen days ago (07:00), before the first of those readings.
      const then = as(h.actors.homeCare, () => ago(14 * day + 2 * hour));
      const input = {
        locationId: h.home.id,
        itemId: strips.id,
        dailyQuantity: 4,
        note: '4 controlli al giorno',
        idempotencyKey: 'plan-p001-str',
      };
      const set = await setSupplyPlan({ ctx: then, input });
      expect(set).toMatchObject({
        replayed: false,
        replacedPlanId: null,
        plan: { locationCode: 'DOM-P001', patientCode: 'P-001', itemCode: 'DIAG-STR', dailyQuantity: 4, endedAt: null },
      });
      const again = await setSupplyPlan({ ctx: then, input });
      expect(again).toMatchObject({ replayed: true, plan: { id: set.plan.id } });
      await failsWith(
        setSupplyPlan({
          ctx: then,
          input: { locationId: h.home.id, itemId: strips.id, dailyQuantity: 5, idempotencyKey: 'plan-p001-str' },
        }),
        { code: 'conflict', key: 'idempotency_mismatch' },
      );
      const [row] = await t.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, 'homecare.plan.set'), eq(auditLog.entityId, set.plan.id)));
      expect(row).toMatchObject({
        actorId: h.actors.homeCare.userId,
        detail: { home: 'DOM-P001', item: 'DIAG-STR', dailyQuantity: 4 },
      });
    });

    it('replaces the active plan when the quantity changes, keeps it when only the note does, ends it on request', async () => {
      const ctx = as(h.actors.homeCare);
      const earlier = (hours: number) => as(h.actors.homeCare, () => ago(hours * hour));
      const first = await setSupplyPlan({
        ctx: earlier(3),
        input: { locationId: h.home.id, itemId: lancets.id, dailyQuantity: 3 },
      });
      const sameQuantity = await setSupplyPlan({
        ctx: earlier(2),
        input: { locationId: h.home.id, itemId: lancets.id, dailyQuantity: 3, note: 'confermato' },
      });
      expect(sameQuantity).toMatchObject({ replacedPlanId: null, plan: { id: first.plan.id, note: 'confermato' } });
      const replaced = await setSupplyPlan({
        ctx: earlier(1),
        input: { locationId: h.home.id, itemId: lancets.id, dailyQuantity: 4.5 },
      });
      expect(replaced).toMatchObject({ replacedPlanId: first.plan.id, plan: { dailyQuantity: 4.5 } });
      const active = await t.db
        .select()
        .from(supplyPlans)
        .where(
          and(eq(supplyPlans.locationId, h.home.id), eq(supplyPlans.itemId, lancets.id), isNull(supplyPlans.endedAt)),
        );
      expect(active.map((p) => p.id)).toEqual([replaced.plan.id]);
      const ended = await endSupplyPlan({ ctx, input: { locationId: h.home.id, itemId: lancets.id } });
      expect(ended.plan.endedAt).toBe(today.toISOString());
      await failsWith(endSupplyPlan({ ctx, input: { locationId: h.home.id, itemId: lancets.id } }), {
        code: 'not_found',
      });
      const listed = await listSupplyPlans({ ctx, input: { locationId: h.home.id } });
      expect(listed.data.map((p) => p.itemCode)).toEqual(['DIAG-STR']);
      const history = await listSupplyPlans({
        ctx,
        input: { locationId: h.home.id, itemId: lancets.id, includeEnded: true },
      });
      expect(history.data.map((p) => p.dailyQuantity)).toEqual([4.5, 3]);
      // Lancets on the plan again from today: 4 a day.
      await setSupplyPlan({ ctx, input: { locationId: h.home.id, itemId: lancets.id, dailyQuantity: 4 } });
    });

    it('refuses another team, a ward nurse, a non-home and bad input, writing nothing', async () => {
      const before = await counts();
      const input = { locationId: h.home.id, itemId: strips.id, dailyQuantity: 8 };
      await failsWithoutTrace(t.db, () => setSupplyPlan({ ctx: as(otherTeam), input }), { code: 'forbidden' });
      await failsWithoutTrace(t.db, () => setSupplyPlan({ ctx: as(h.actors.nurse), input }), { code: 'forbidden' });
      await failsWithoutTrace(t.db, () => endSupplyPlan({ ctx: as(otherTeam), input }), { code: 'forbidden' });
      await failsWithoutTrace(
        t.db,
        () => setSupplyPlan({ ctx: as(h.actors.homeCare), input: { ...input, locationId: h.homeCare.id } }),
        { code: 'validation', key: 'not_a_home', field: 'locationId' },
      );
      await failsWithoutTrace(
        t.db,
        () => setSupplyPlan({ ctx: as(h.actors.homeCare), input: { ...input, dailyQuantity: -1 } }),
        { code: 'validation', field: 'dailyQuantity' },
      );
      await failsWithoutTrace(
        t.db,
        () => setSupplyPlan({ ctx: as(h.actors.homeCare), input: { ...input, dailyQuantity: 1.2345 } }),
        { code: 'validation', field: 'dailyQuantity' },
      );
      await failsWith(listSupplyPlans({ ctx: as(h.actors.nurse), input: {} }), { code: 'forbidden' });
      await failsWith(listSupplyPlans({ ctx: as(otherTeam), input: { locationId: h.home.id } }), { code: 'forbidden' });
      expect(await counts()).toEqual(before);
      expect((await listSupplyPlans({ ctx: as(otherTeam), input: {} })).data).toEqual([]);
    });
  });

  describe('forecast and home delivery', () => {
    it('forecasts from real use under the plan and flags it far from plan', async () => {
      const overview = await homeCareOverview({ ctx: as(h.actors.homeCare), input: {} });
      const p001 = overview.patients.find((p) => p.patientCode === 'P-001')!;
      const str = p001.items.find((i) => i.itemCode === 'DIAG-STR')!;
      // 200 issued, 15 days × 6 used: 110 left; 6 a day over 15 observed days is +50 % on the plan of 4.
      expect(str).toMatchObject({
        available: 110,
        planDaily: 4,
        realDaily: 6,
        observedDays: 15,
        rateSource: 'real',
        rate: 6,
        daysOfCover: 18.3,
        runOutDate: '2026-12-11',
        leadTimeDays: 3,
        orderBy: '2026-12-08',
        deviation: 0.5,
        farFromPlan: true,
      });
      // Lancets: plan set today, no use yet, so the plan drives: 100 / 4 = 25 days.
      const lan = p001.items.find((i) => i.itemCode === 'DIAG-LAN')!;
      expect(lan).toMatchObject({
        available: 100,
        planDaily: 4,
        realDaily: 0,
        observedDays: 1,
        rateSource: 'plan',
        daysOfCover: 25,
        farFromPlan: false,
      });
      expect(p001).toMatchObject({ daysOfCover: 18.3, runOutDate: '2026-12-11', farFromPlan: 1, openRequests: [] });
    });

    it('emits one home delivery request once run-out minus lead time is within the horizon, urgency from cover', async () => {
      const sys = as(h.actors.admin);
      const returnStrips = (quantity: number) =>
        returnStock({
          ctx: sys,
          input: {
            fromLocationId: h.home.id,
            toLocationId: h.warehouse.id,
            lines: [{ itemId: strips.id, quantity }],
            reason: 'Ricovero: reso parziale',
          },
        });
      // 18 days of cover: beyond lead time (3) + horizon (7), no request yet.
      expect((await sweepHomeDeliveries({ ctx: sys })).requests).toEqual([]);
      expect(await openAuto(h.home.id, strips.id)).toHaveLength(0);
      // 50 strips go back to the warehouse: 60 left, 10 days at 6 a day, run-out 2026-12-03 — now it is due.
      await returnStrips(50);
      const swept = await sweepHomeDeliveries({ ctx: sys });
      expect(swept.requests).toEqual([
        expect.objectContaining({ locationId: h.home.id, itemId: strips.id, action: 'emitted', urgency: 'normal' }),
      ]);
      const [open] = await openAuto(h.home.id, strips.id);
      expect(open!.request.neededBy!.toISOString().slice(0, 10)).toBe('2026-12-03');
      expect(open!.request.origin).toMatchObject({
        kind: 'under_stock',
        plan: 4,
        real: 6,
        rateSource: 'real',
        runOutDate: '2026-12-03',
        L: 3,
        W: 42,
      });
      // Two and a half days left: less than the lead time, the same request turns urgent.
      await returnStrips(45);
      const again = await sweepHomeDeliveries({ ctx: sys });
      expect(again.requests).toEqual([
        expect.objectContaining({
          itemId: strips.id,
          action: 'updated',
          urgency: 'urgent',
          requestId: open!.request.id,
        }),
      ]);
      expect(await openAuto(h.home.id, strips.id)).toHaveLength(1);
      const overview = await homeCareOverview({ ctx: as(h.actors.homeCare), input: { teamLocationId: h.homeCare.id } });
      expect(overview.patients.find((p) => p.patientCode === 'P-001')!.openRequests).toEqual([
        expect.objectContaining({
          id: open!.request.id,
          urgency: 'urgent',
          automatic: true,
          lines: [expect.objectContaining({ itemCode: 'DIAG-STR' })],
        }),
      ]);
    });

    it('asks for a delivery at once when a new plan shows the stock will not last', async () => {
      // P-002: 20 strips, no history; a plan of 4 a day means 5 days of cover, inside lead time + horizon.
      const set = await setSupplyPlan({
        ctx: as(h.actors.homeCare),
        input: { locationId: home2.id, itemId: strips.id, dailyQuantity: 4 },
      });
      expect(set.delivery).toMatchObject({ action: 'emitted', urgency: 'normal' });
      expect(await openAuto(home2.id, strips.id)).toHaveLength(1);
    });
  });

  describe('the team list', () => {
    it('lists the team patients by fewest days of cover, and only the team', async () => {
      await setSupplyPlan({ ctx: as(otherTeam), input: { locationId: homeB.id, itemId: strips.id, dailyQuantity: 2 } });
      const mine = await homeCareOverview({ ctx: as(h.actors.homeCare), input: {} });
      // P-001 has 15 strips at 6 a day (2.5 days), P-002 20 at 4 a day (5 days).
      expect(mine.patients.map((p) => [p.patientCode, p.daysOfCover])).toEqual([
        ['P-001', 2.5],
        ['P-002', 5],
      ]);
      const theirs = await homeCareOverview({ ctx: as(otherTeam), input: {} });
      expect(theirs.patients.map((p) => p.patientCode)).toEqual(['P-009']);
      const admin = await homeCareOverview({ ctx: as(h.actors.admin), input: {} });
      expect(admin.patients.map((p) => p.patientCode)).toEqual(['P-001', 'P-002', 'P-009']);
    });

    it('refuses another team and a ward nurse', async () => {
      await failsWith(homeCareOverview({ ctx: as(otherTeam), input: { teamLocationId: h.homeCare.id } }), {
        code: 'forbidden',
      });
      await failsWith(homeCareOverview({ ctx: as(h.actors.nurse), input: {} }), { code: 'forbidden' });
      await failsWith(homeCareOverview({ ctx: as(h.actors.nurse), input: { teamLocationId: h.homeCare.id } }), {
        code: 'forbidden',
      });
      await failsWith(homeCareOverview({ ctx: as(h.actors.homeCare), input: { teamLocationId: 'nope' } }), {
        code: 'validation',
        field: 'teamLocationId',
      });
    });
  });

  describe('silent devices', () => {
    it('raises one silent alert after twice the expected interval, and resolves it when the device speaks', async () => {
      const glucometer = await registerDevice({
        ctx: h.sys,
        input: {
          code: 'GLU-P001',
          kind: 'glucometer',
          name: 'Glucometro P-001',
          locationId: h.home.id,
          expectedIntervalSeconds: 6 * 3600,
        },
      });
      // Last heard 11 hours before the clock: within twice six hours, not silent.
      await t.db
        .update(devices)
        .set({ lastSeenAt: ago(11 * hour), online: 'online' })
        .where(eq(devices.id, glucometer.id));
      expect(await sweepSilentDevices({ ctx: as(h.actors.admin) })).toEqual({ raised: [], resolved: [] });
      // Thirteen hours: silent.
      await t.db
        .update(devices)
        .set({ lastSeenAt: ago(13 * hour), online: 'offline' })
        .where(eq(devices.id, glucometer.id));
      const swept = await sweepSilentDevices({ ctx: as(h.actors.admin) });
      expect(swept.raised).toHaveLength(1);
      expect((await sweepSilentDevices({ ctx: as(h.actors.admin) })).raised).toEqual([]); // one open alert per device
      const alerts = await listAlerts({ ctx: as(h.actors.homeCare), input: { open: true } });
      expect(alerts.data).toEqual([
        expect.objectContaining({
          kind: 'silent',
          open: true,
          device: expect.objectContaining({ code: 'GLU-P001', online: 'offline' }),
          location: expect.objectContaining({ patientCode: 'P-001' }),
        }),
      ]);
      expect(alerts.data[0]!.detail).toMatchObject({ expectedIntervalSeconds: 21600, silentForSeconds: 13 * 3600 });
      const overview = await homeCareOverview({ ctx: as(h.actors.homeCare), input: {} });
      expect(overview.patients.find((p) => p.patientCode === 'P-001')!.devices).toEqual([
        expect.objectContaining({
          code: 'GLU-P001',
          silent: true,
          online: 'offline',
          openAlerts: [expect.objectContaining({ kind: 'silent' })],
        }),
      ]);
      // Scoping: the other team and a ward nurse see none of it.
      expect((await listAlerts({ ctx: as(otherTeam), input: {} })).data).toEqual([]);
      expect((await listAlerts({ ctx: as(h.actors.nurse), input: {} })).data).toEqual([]);
      await failsWith(listAlerts({ ctx: as(otherTeam), input: { locationId: h.home.id } }), { code: 'forbidden' });
      await failsWith(listAlerts({ ctx: as(h.actors.pharmacist), input: {} }), { code: 'forbidden' });

      // The device speaks: readers see the alert resolved at once, the next sweep closes it.
      await markDeviceSeen({ db: t.db }, glucometer.id, 'online');
      expect((await listAlerts({ ctx: as(h.actors.homeCare), input: { open: true } })).data).toEqual([]);
      const resolved = await sweepSilentDevices({ ctx: as(h.actors.admin, () => new Date()) });
      expect(resolved).toEqual({ raised: [], resolved: swept.raised });
      const [row] = await t.db.select().from(deviceAlerts).where(eq(deviceAlerts.id, swept.raised[0]!));
      expect(row!.resolvedAt).not.toBeNull();
      const audit = await t.db.select().from(auditLog).where(eq(auditLog.action, 'devices.alerts.sweep'));
      expect(audit).toHaveLength(2);
    });

    it('raises an alert for a device never heard from, and drops it when the device is revoked', async () => {
      const device = await registerDevice({
        ctx: h.sys,
        input: {
          code: 'O2-P002',
          kind: 'oxygen_concentrator',
          name: 'Concentratore P-002',
          locationId: home2.id,
          expectedIntervalSeconds: 3600,
        },
      });
      await t.db
        .update(devices)
        .set({ createdAt: ago(3 * hour) })
        .where(eq(devices.id, device.id));
      const swept = await sweepSilentDevices({ ctx: as(h.actors.admin) });
      expect(swept.raised).toHaveLength(1);
      await revokeDevice({ ctx: h.sys, id: device.id });
      expect(await sweepSilentDevices({ ctx: as(h.actors.admin) })).toEqual({ raised: [], resolved: swept.raised });
    });

    it('runs both sweeps per organisation from the Node sweeper, without overlapping runs', async () => {
      const device = await registerDevice({
        ctx: h.sys,
        input: {
          code: 'TEL-P002',
          kind: 'telehealth',
          name: 'Telemonitoraggio P-002',
          locationId: home2.id,
          expectedIntervalSeconds: 600,
        },
      });
      await t.db
        .update(devices)
        .set({ createdAt: ago(hour) })
        .where(eq(devices.id, device.id));
      const logged: string[] = [];
      const sweeper = startAlertSweeper({
        db: t.db,
        intervalMs: 60_000,
        now: () => today,
        log: { info: (l: string) => logged.push(l), error: (...a: unknown[]) => logged.push(String(a[0])) },
      });
      const first = await sweeper.runOnce(); // the run started at start-up
      await sweeper.stop();
      expect(first).toMatchObject({ organisations: 1, raised: 1, resolved: 0 });
      expect(logged).toEqual([expect.stringMatching(/^sweep: 1 silent-device alerts raised/)]);
    });

    it('refuses the sweep to anyone but an admin, writing nothing', async () => {
      const before = await counts();
      await failsWith(sweepSilentDevices({ ctx: as(h.actors.homeCare) }), { code: 'forbidden' });
      await failsWith(sweepHomeDeliveries({ ctx: as(h.actors.homeCare) }), { code: 'forbidden' });
      expect(await counts()).toEqual(before);
    });
  });
});
