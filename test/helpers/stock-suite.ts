import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { createItem } from '../../api/catalogue/items.ts';
import type { Actor, Context } from '../../api/core/context.ts';
import { receiveGoods } from '../../api/stock/receive-goods.ts';
import type { Database } from '../../db/client.ts';
import { auditLog, movements, type Channel, type LotStatus } from '../../db/schema/index.ts';
import { drivers, openTestDatabase, type TestDatabase } from './database.ts';
import { buildHospital, contextFor, type Hospital } from './fixture.ts';
import { failsWithoutTrace, ledgerMismatches, lotByCode, setLotStatus, snapshot } from './ledger.ts';

export type Who = keyof Hospital['actors'];
/** An id no row has. */
export const missing = '00000000-0000-4000-8000-000000000000';

/** What every stock action suite shares: its database, a second organisation, and helpers over them. */
export interface StockSuite {
  /** The suite's database (open once the suite's `beforeAll` has run). */
  readonly db: Database;
  /** A second organisation: its people and places must stay out of ours. */
  readonly other: Hospital;
  as(actor: Actor, channel?: Channel): Context;
  /** Receives `quantity` of a new lot at a location (as the admin) and returns the lot. */
  stockUp(
    h: Hospital,
    locationId: string,
    itemId: string,
    lotCode: string,
    quantity: number,
    expiry?: string | null,
    status?: LotStatus,
  ): ReturnType<typeof lotByCode>;
  newItem(h: Hospital, code: string): ReturnType<typeof createItem>;
  auditRows(action: string, entityId: string): Promise<(typeof auditLog.$inferSelect)[]>;
  ledgerOf(lotId: string): Promise<(typeof movements.$inferSelect)[]>;
  /** Checks a successful write: exactly `moved` movements and one audit row more, and a consistent ledger. */
  expectWrote(before: Awaited<ReturnType<typeof snapshot>>, moved: number, lots?: number): Promise<void>;
  /**
   * Runs `input` twice: the second run answers as the first did (replayed) and writes nothing; then `changed`, under
   * the same idempotency key, fails with `refused` and writes nothing.
   */
  expectReplayed<I>(
    run: (input: I) => Promise<object>,
    input: I,
    changed: I,
    refused: Parameters<typeof failsWithoutTrace>[2],
  ): Promise<void>;
}

/**
 * The stock action suites (`test/integration/stock-*.test.ts`, one per action): `body` declares its tests once per
 * driver, under `stock actions on <driver>`, on a fresh database holding a second organisation.
 */
export function describeStockActions(body: (s: StockSuite) => void): void {
  describe.each(drivers)('stock actions on %s', (driver) => {
    let t: TestDatabase;
    let other: Hospital;
    beforeAll(async () => {
      t = await openTestDatabase(driver);
      other = await buildHospital(t.db, 'ALTRO');
    });
    afterAll(() => t.close());

    const as = (actor: Actor, channel: Channel = 'http') => contextFor(t.db, { ...actor, channel });
    body({
      get db() {
        return t.db;
      },
      get other() {
        return other;
      },
      as,
      async stockUp(h, locationId, itemId, lotCode, quantity, expiry = '2027-06-30', status) {
        await receiveGoods({
          ctx: as(h.actors.admin),
          input: { locationId, lines: [{ itemId, lotCode, quantity, unitPrice: 0.25, ...(expiry ? { expiry } : {}) }] },
        });
        const lot = await lotByCode(t.db, itemId, lotCode);
        if (status) await setLotStatus(t.db, lot.id, status);
        return lot;
      },
      newItem: (h, code) =>
        createItem({
          ctx: h.sys,
          input: { code, name: `Articolo ${code}`, nameEn: `Item ${code}`, categoryId: h.category.id, unit: 'pz' },
        }),
      auditRows: (action, entityId) =>
        t.db
          .select()
          .from(auditLog)
          .where(and(eq(auditLog.action, action), eq(auditLog.entityId, entityId))),
      ledgerOf: (lotId) => t.db.select().from(movements).where(eq(movements.lotId, lotId)).orderBy(asc(movements.id)),
      async expectWrote(before, moved, lots = 0) {
        const after = await snapshot(t.db);
        expect({
          movements: after.movements - before.movements,
          audit: after.audit - before.audit,
          lots: after.lots - before.lots,
        }).toEqual({ movements: moved, audit: 1, lots });
        expect(await ledgerMismatches(t.db)).toEqual([]);
      },
      async expectReplayed(run, input, changed, refused) {
        const first = await run(input);
        const before = await snapshot(t.db);
        expect(await run(input)).toEqual({ ...first, replayed: true });
        expect(await snapshot(t.db)).toEqual(before);
        await failsWithoutTrace(t.db, () => run(changed), refused);
      },
    });
  });
}
