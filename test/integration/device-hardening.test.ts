import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, count, eq, sql } from 'drizzle-orm';
import { applyReadingsBatch, type InboundReading } from '../../api/devices/apply-readings-batch.ts';
import { handleDeviceMessage } from '../../iot/handle-message.ts';
import { authenticateDevice, registerDevice, revokeDevice } from '../../api/devices/register-device.ts';
import { deviceTopic } from '../../iot/topics.ts';
import { quarantineLot } from '../../api/lots/quarantine-lot.ts';
import { receiveGoods } from '../../api/stock/receive-goods.ts';
import { issueStock } from '../../api/stock/issue-stock.ts';
import { deviceMessages, lots, movements, wardRequests } from '../../db/schema/index.ts';
import { drivers, openTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { buildGlucometerSite } from '../helpers/device-site.ts';
import { buildHospital, contextFor, type Hospital } from '../helpers/fixture.ts';
import { systemActor } from '../../api/core/context.ts';

type Session = NonNullable<Awaited<ReturnType<typeof authenticateDevice>>>;
const bytes = (body: unknown) => new TextEncoder().encode(typeof body === 'string' ? body : JSON.stringify(body));
const reading = (session: Session, seq: number): InboundReading => ({
  ...session,
  topic: deviceTopic(session.device.code, 'readings'),
  payload: { seq, ts: new Date().toISOString(), type: 'glucose', value: 100 },
});
const movementsBy = async (t: TestDatabase, userId: string) =>
  (await t.db.select({ n: count() }).from(movements).where(eq(movements.actorId, userId)))[0]!.n;

describe.each(drivers)('device hardening (%s)', (driver) => {
  let t: TestDatabase;
  let h: Hospital;
  const sessions: Session[] = [];

  beforeAll(async () => {
    t = await openTestDatabase(driver);
    h = await buildHospital(t.db);
    const site = await buildGlucometerSite(t.db, { devices: 3, strips: 500, lancets: 500 });
    for (const d of site.devices) sessions.push((await authenticateDevice({ db: t.db }, d.code, d.password))!);
  }, 240_000);
  afterAll(async () => t?.close());

  it("refuses a glucometer's levels: nothing booked, no request", async () => {
    const [s] = sessions;
    const before = await movementsBy(t, s!.device.userId);
    const requestsBefore = (await t.db.select({ n: count() }).from(wardRequests))[0]!.n;
    const reply = await handleDeviceMessage(
      contextFor(t.db, s!.actor),
      s!.device,
      'levels',
      bytes({ seq: 900, ts: new Date().toISOString(), bins: [{ bin: 'A', item: 'DIAG-LAN', count: 0 }] }),
      deviceTopic(s!.device.code, 'levels'),
    );
    expect(reply).toMatchObject({
      seq: 900,
      status: 'rejected',
      error: { code: 'forbidden', key: 'device_kind_message' },
    });
    expect(reply!.error!.messageIt).toContain('glucometer');
    expect(await movementsBy(t, s!.device.userId)).toBe(before);
    expect((await t.db.select({ n: count() }).from(wardRequests))[0]!.n).toBe(requestsBefore);
  });

  it('books nothing for a revoked device whose session is still held (batch and one-by-one)', async () => {
    const s = sessions[1]!;
    const ok = await applyReadingsBatch(contextFor(t.db, s.actor), [reading(s, 1)]);
    expect(ok[0]).toMatchObject({ status: 'accepted', movements: 2 });
    await revokeDevice({ ctx: { ...h.sys, actor: systemActor(s.device.organisationId) }, id: s.device.id });
    const before = await movementsBy(t, s.device.userId);
    const [batch] = await applyReadingsBatch(contextFor(t.db, s.actor), [reading(s, 2)]);
    expect(batch).toMatchObject({ seq: 2, status: 'rejected', error: { code: 'unauthorized', key: 'device_revoked' } });
    const single = await handleDeviceMessage(
      contextFor(t.db, s.actor),
      s.device,
      'readings',
      bytes(reading(s, 3).payload),
      deviceTopic(s.device.code, 'readings'),
    );
    expect(single).toMatchObject({
      seq: 3,
      status: 'rejected',
      error: { code: 'unauthorized', key: 'device_revoked' },
    });
    expect(await movementsBy(t, s.device.userId)).toBe(before);
  });

  it('refuses a NUL in a text at validation, stores the refusal, so a resend gets the same answer', async () => {
    const rfid = await registerDevice({
      ctx: h.sys,
      input: { code: 'RFID-NUL-01', kind: 'rfid_cabinet', name: 'RFID', locationId: h.cabinet.id },
    });
    const s = (await authenticateDevice({ db: t.db }, rfid.code, rfid.password))!;
    const body = { seq: 7, ts: new Date().toISOString(), tags: ['ABC\u0000DEF'] };
    const send = () =>
      handleDeviceMessage(contextFor(t.db, s.actor), s.device, 'rfid', bytes(body), deviceTopic(s.device.code, 'rfid'));
    const first = await send();
    expect(first).toMatchObject({
      seq: 7,
      status: 'rejected',
      error: { code: 'validation', fields: [expect.objectContaining({ field: 'tags.0' })] },
    });
    const [stored] = await t.db
      .select()
      .from(deviceMessages)
      .where(and(eq(deviceMessages.deviceId, s.device.id), eq(deviceMessages.seq, 7)));
    expect(stored?.outcome).toBe('rejected');
    expect(await send()).toMatchObject({ seq: 7, status: 'rejected', duplicate: true });
  });

  it('refuses and stores a message the database cannot take (a data error no validation foresaw), so a resend gets the same answer', async () => {
    // A data error raised by the database itself (class 22) while the message is applied: here a trigger refuses
    // the alert an unknown tag raises, as an encoding or range check of the server would.
    await t.db.execute(sql`create function refuse_poison() returns trigger language plpgsql as $$
      begin if new.subject like '%POISON%' then raise exception 'untranslatable' using errcode = '22P05'; end if; return new; end $$`);
    await t.db.execute(
      sql`create trigger refuse_poison before insert on device_alerts for each row execute function refuse_poison()`,
    );
    try {
      const rfid = await registerDevice({
        ctx: h.sys,
        input: { code: 'RFID-DATA-01', kind: 'rfid_cabinet', name: 'RFID', locationId: h.cabinet.id },
      });
      const s = (await authenticateDevice({ db: t.db }, rfid.code, rfid.password))!;
      const body = { seq: 8, ts: new Date().toISOString(), tags: ['POISON-1'] };
      const send = () =>
        handleDeviceMessage(
          contextFor(t.db, s.actor),
          s.device,
          'rfid',
          bytes(body),
          deviceTopic(s.device.code, 'rfid'),
        );
      const first = await send();
      expect(first).toMatchObject({
        seq: 8,
        status: 'rejected',
        error: { code: 'validation', key: 'message_not_applicable' },
      });
      expect(first!.error!.messageIt).toMatch(/non reinviarlo/);
      expect(JSON.stringify(first)).not.toContain('untranslatable'); // the driver's text stays on the server
      const [stored] = await t.db
        .select()
        .from(deviceMessages)
        .where(and(eq(deviceMessages.deviceId, s.device.id), eq(deviceMessages.seq, 8)));
      expect(stored?.outcome).toBe('rejected');
      expect(await send()).toMatchObject({ seq: 8, status: 'rejected', duplicate: true });
    } finally {
      await t.db.execute(sql`drop trigger refuse_poison on device_alerts`);
      await t.db.execute(sql`drop function refuse_poison()`);
    }
  });
});

describe.each(drivers.filter((d) => d === 'postgres'))('device races (%s)', (driver) => {
  let t: TestDatabase;
  let h: Hospital;
  let sessions: Session[];

  beforeAll(async () => {
    t = await openTestDatabase(driver);
    h = await buildHospital(t.db);
    const site = await buildGlucometerSite(t.db, { devices: 2, strips: 2000, lancets: 2000, code: 'RACE' });
    sessions = [];
    for (const d of site.devices) sessions.push((await authenticateDevice({ db: t.db }, d.code, d.password))!);
  }, 240_000);
  afterAll(async () => t?.close());

  it('a revocation racing a sending device: nothing of it lands after the revocation commits', async () => {
    const s = sessions[0]!;
    let seq = 0;
    let stop = false;
    const sender = (async () => {
      while (!stop)
        await applyReadingsBatch(
          contextFor(t.db, s.actor),
          Array.from({ length: 5 }, () => reading(s, ++seq)),
        );
    })();
    let atRevocation = 0;
    try {
      while (seq < 20) await new Promise((r) => setTimeout(r, 5));
      await revokeDevice({ ctx: { ...h.sys, actor: systemActor(s.device.organisationId) }, id: s.device.id });
      atRevocation = await movementsBy(t, s.device.userId);
      const sentBefore = seq;
      while (seq < sentBefore + 20) await new Promise((r) => setTimeout(r, 5));
    } finally {
      stop = true;
      await sender;
    }
    expect(atRevocation).toBeGreaterThan(0);
    expect(await movementsBy(t, s.device.userId)).toBe(atRevocation);
  });

  it('a quarantine committing while a batch waits never lets a movement of that lot land after it', async () => {
    const s = sessions[1]!;
    // A second, later lot of strips at the home, so FEFO has somewhere to go once the first is quarantined.
    const [strip] = await t.db
      .execute<{ item_id: string }>(
        sql`select item_id from stock_balances where location_id = ${s.device.locationId} limit 1`,
      )
      .then((r: any) => (r.rows ?? r) as { item_id: string }[]);
    const site = await t.db.select().from(lots).where(eq(lots.itemId, strip!.item_id));
    const early = site[0]!;
    const org = {
      ...h.sys,
      actor: {
        ...h.sys.actor,
        organisationId: s.device.organisationId,
        grants: [
          { role: 'admin' as const, organisationId: s.device.organisationId, locationId: null, locationPath: null },
        ],
      },
    };
    const [warehouse] = await t.db
      .execute(sql`select from_location_id as id from movements where to_location_id = ${s.device.locationId} limit 1`)
      .then((r: any) => (r.rows ?? r) as { id: string }[]);
    await receiveGoods({
      ctx: org,
      input: {
        locationId: warehouse!.id,
        lines: [{ itemId: early.itemId, lotCode: 'LATE', expiry: '2031-12-31', quantity: 10 }],
      },
    });
    await issueStock({
      ctx: org,
      input: {
        fromLocationId: warehouse!.id,
        toLocationId: s.device.locationId,
        lines: [{ itemId: early.itemId, quantity: 10 }],
      },
    }).catch(() => undefined);
    // Hold the home's balances so the batch stops after taking its snapshot, then quarantine the FEFO lot meanwhile.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let holding!: () => void;
    const holds = new Promise<void>((r) => (holding = r));
    const blocker = t.db.transaction(async (x) => {
      await x.execute(sql`select 1 from stock_balances where location_id = ${s.device.locationId} for update`);
      holding();
      await held;
    });
    await holds;
    const batch = applyReadingsBatch(contextFor(t.db, s.actor), [reading(s, 1), reading(s, 2)]);
    for (let i = 0; i < 200; i++) {
      const waiting = await t.db
        .execute(
          sql`select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()`,
        )
        .then((r: any) => Number(((r.rows ?? r) as { n: number }[])[0]!.n));
      if (waiting > 0) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    await quarantineLot({ ctx: org, input: { lotId: early.id, reason: 'suspected defect' } });
    release();
    await blocker;
    const replies = await batch;
    expect(
      replies.every(
        (r) => r.status === 'accepted' || (r.error?.code === 'conflict' && r.error.key === 'insufficient_stock'),
      ),
    ).toBe(true);
    const after = await t.db
      .select({ n: count() })
      .from(movements)
      .where(and(eq(movements.lotId, early.id), eq(movements.actorId, s.device.userId)));
    expect(after[0]!.n).toBe(0); // the batch read the lot before the quarantine, but booked it only under a share lock that saw it
  });
});
