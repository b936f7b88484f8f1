import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimJobRound } from '../../api/core/job-rounds.ts';
import { registerDevice } from '../../api/devices/register-device.ts';
import { auditLog, deviceAlerts, devices, jobRounds } from '../../db/schema/index.ts';
import { startAlertSweeper } from '../../server/sweeper.ts';
import { drivers, openTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { buildHospital, today, type Hospital } from '../helpers/fixture.ts';

const quiet = { info: () => {}, error: () => {} };

// Two Scorta servers on one database each run a sweeper: a round is claimed in the database, so one of them sweeps.
describe.each(drivers)('sweep rounds shared by several instances on %s', (driver) => {
  let t: TestDatabase;
  let h: Hospital;

  beforeAll(async () => {
    t = await openTestDatabase(driver);
    h = await buildHospital(t.db);
    const device = await registerDevice({
      ctx: h.sys,
      input: {
        code: 'TEL-P001',
        kind: 'telehealth',
        name: 'Telemonitoraggio P-001',
        locationId: h.home.id,
        expectedIntervalSeconds: 600,
      },
    });
    await t.db
      .update(devices)
      .set({ createdAt: new Date(today.getTime() - 3_600_000) })
      .where(eq(devices.id, device.id));
  });
  afterAll(async () => t?.close());

  it('runs a round on one of two sweepers started together; the other skips it and writes nothing', async () => {
    const a = startAlertSweeper({ db: t.db, intervalMs: 60_000, now: () => today, log: quiet, holder: 'scorta-a' });
    const b = startAlertSweeper({ db: t.db, intervalMs: 60_000, now: () => today, log: quiet, holder: 'scorta-b' });
    const rounds = await Promise.all([a.runOnce(), b.runOnce()]); // the runs started at start-up
    await Promise.all([a.stop(), b.stop()]);
    expect(rounds.map((r) => r?.skipped).sort()).toEqual([false, true]);
    const ran = rounds.find((r) => r && !r.skipped)!;
    expect(ran).toMatchObject({ organisations: 1, raised: 1 });
    expect(rounds.find((r) => r?.skipped)).toMatchObject({
      organisations: 0,
      raised: 0,
      resolved: 0,
      deliveries: 0,
      expired: 0,
    });
    expect((await t.db.select({ n: count() }).from(deviceAlerts))[0]!.n).toBe(1);
    expect(
      (await t.db.select({ n: count() }).from(auditLog).where(eq(auditLog.action, 'devices.alerts.sweep')))[0]!.n,
    ).toBe(1);
    const [round] = await t.db.select().from(jobRounds).where(eq(jobRounds.job, 'sweep'));
    expect(['scorta-a', 'scorta-b']).toContain(round!.holder);
  });

  it('gives a round to exactly one of many claiming at once, and the next one once the gap has passed', async () => {
    const claims = await Promise.all(
      ['a', 'b', 'c', 'd'].map((holder) => claimJobRound(t.db, { job: 'test-round', holder, minGapMs: 60_000 })),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
    const winner = ['a', 'b', 'c', 'd'][claims.indexOf(true)]!;
    expect(await claimJobRound(t.db, { job: 'test-round', holder: winner, minGapMs: 60_000 })).toBe(false);
    // The gap passed (a gap of zero here): the next round goes to the next claimant.
    expect(await claimJobRound(t.db, { job: 'test-round', holder: 'e', minGapMs: 0 })).toBe(true);
    const [round] = await t.db.select().from(jobRounds).where(eq(jobRounds.job, 'test-round'));
    expect(round!.holder).toBe('e');
  });
});
