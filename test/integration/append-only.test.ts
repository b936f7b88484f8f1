import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlState } from '../../api/core/context.ts';
import { reverseMovement } from '../../api/stock/reverse-movement.ts';
import { auditLog, movements } from '../../db/schema/index.ts';
import { drivers, openTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { buildHospital, contextFor, type Hospital } from '../helpers/fixture.ts';
import { balanceOf, failsWithoutTrace, ledgerMismatches, lotByCode, snapshot } from '../helpers/ledger.ts';
import { receiveAtWarehouse, issueBetween } from '../helpers/stock-moves.ts';

/** The ledger and the audit log are append-only in the database itself, whoever holds a connection. */
describe.each(drivers)('append-only ledger and audit log on %s', (driver) => {
  let t: TestDatabase;
  let h: Hospital;
  let receiptId: number;
  beforeAll(async () => {
    t = await openTestDatabase(driver);
    h = await buildHospital(t.db);
    const wh = contextFor(t.db, h.actors.warehouse);
    const {
      movements: [receipt],
    } = await receiveAtWarehouse(h, [{ itemId: h.gloves.id, lotCode: 'AO-1', expiry: '2028-01-31', quantity: 10 }], wh);
    receiptId = receipt!.id;
  });
  afterAll(() => t.close());

  /** Runs raw SQL that must be refused by the database, and checks nothing changed. */
  const refused = async (statement: ReturnType<typeof sql>) => {
    const before = await snapshot(t.db);
    const rowsBefore = { movements: await t.db.select().from(movements), audit: await t.db.select().from(auditLog) };
    const error = await t.db.execute(statement).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(sqlState(error)).toBe('23001');
    expect(String((error as { cause?: unknown }).cause ?? error)).toMatch(/append-only/);
    expect(await snapshot(t.db)).toEqual(before);
    expect({ movements: await t.db.select().from(movements), audit: await t.db.select().from(auditLog) }).toEqual(
      rowsBefore,
    );
  };

  it('refuses an UPDATE of a movement, even of one column', async () => {
    await refused(sql`update movements set quantity = quantity + 1 where id = ${receiptId}`);
    await refused(sql`update movements set reason = 'ritoccato'`);
  });

  it('refuses a DELETE or TRUNCATE of movements', async () => {
    await refused(sql`delete from movements where id = ${receiptId}`);
    await refused(sql`truncate movements cascade`);
  });

  it('refuses an UPDATE, DELETE or TRUNCATE of the audit log', async () => {
    const [row] = await t.db.select().from(auditLog).limit(1);
    expect(row).toBeDefined();
    await refused(sql`update audit_log set detail = '{}'::jsonb where id = ${row!.id}`);
    await refused(sql`delete from audit_log`);
    await refused(sql`truncate audit_log`);
  });

  it('still appends: issues, reversals and their audit rows go through', async () => {
    const wh = contextFor(t.db, h.actors.warehouse);
    const lot = await lotByCode(t.db, h.gloves.id, 'AO-1');
    const {
      movements: [issue],
    } = await issueBetween(wh, h.warehouse.id, h.cardioStore.id, [{ itemId: h.gloves.id, lotId: lot.id, quantity: 4 }]);
    await reverseMovement({ ctx: wh, input: { movementId: issue!.id, reason: 'reparto sbagliato' } });
    expect(await balanceOf(t.db, h.warehouse.id, lot.id)).toBe(10);
    expect(await t.db.select().from(movements).where(eq(movements.reversesId, issue!.id))).toHaveLength(1);
    expect(await ledgerMismatches(t.db)).toEqual([]);
  });

  it('a second reversal of a receipt whose stock is gone says already reversed, not insufficient stock', async () => {
    const wh = contextFor(t.db, h.actors.warehouse);
    await receiveAtWarehouse(h, [{ itemId: h.syringe.id, lotCode: 'AO-REV', quantity: 6 }], wh);
    const lot = await lotByCode(t.db, h.syringe.id, 'AO-REV');
    const [receipt] = await t.db.select().from(movements).where(eq(movements.lotId, lot.id));
    await reverseMovement({ ctx: wh, input: { movementId: receipt!.id, reason: 'DDT doppio' } });
    expect(await balanceOf(t.db, h.warehouse.id, lot.id)).toBe(0);
    await failsWithoutTrace(
      t.db,
      () => reverseMovement({ ctx: wh, input: { movementId: receipt!.id, reason: 'ancora' } }),
      { code: 'conflict', key: 'already_reversed', field: 'movementId' },
    );
  });
});
