import { and, eq, sql, type SQL } from 'drizzle-orm';
import { expect } from 'vitest';
import type { Database } from '../../db/client.ts';
import { auditLog, idempotencyKeys, lots, movements, stockBalances, type LotStatus } from '../../db/schema/index.ts';
import { DomainError, type ErrorCode } from '../../api/core/errors.ts';
import type { MessageKey } from '../../api/core/messages/index.ts';

/** Rows of a raw query on either driver (PGlite answers `{ rows }`, postgres.js an array). */
export async function rows<T>(db: Database, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as T[] | { rows: T[] };
  return Array.isArray(result) ? result : result.rows;
}

/** Every (location, lot) whose balance differs from the signed sum of its ledger, computed in SQL. */
export async function ledgerMismatches(db: Database) {
  return rows<{ location_id: string; lot_id: string; balance: number | null; ledger: number | null }>(
    db,
    sql`with sides as (
          select ${movements.toLocationId} as location_id, ${movements.lotId} as lot_id, ${movements.quantity}::bigint as q
            from ${movements} where ${movements.toLocationId} is not null
          union all
          select ${movements.fromLocationId}, ${movements.lotId}, -${movements.quantity}::bigint
            from ${movements} where ${movements.fromLocationId} is not null
        ), ledger as (select location_id, lot_id, sum(q)::int as total from sides group by location_id, lot_id)
        select coalesce(b.location_id, l.location_id) as location_id, coalesce(b.lot_id, l.lot_id) as lot_id,
               b.quantity as balance, l.total as ledger
          from ${stockBalances} b full join ledger l on l.location_id = b.location_id and l.lot_id = b.lot_id
         where coalesce(b.quantity, 0) <> coalesce(l.total, 0)`,
  );
}

/** Balances below zero (the check constraint should make this impossible). */
export async function negativeBalances(db: Database) {
  return db.select().from(stockBalances).where(sql`${stockBalances.quantity} < 0`);
}

export interface Snapshot {
  movements: number;
  audit: number;
  lots: number;
  idempotencyKeys: number;
  /** `locationId|lotId` → quantity, zero rows included. */
  balances: Record<string, number>;
}

const count = async (db: Database, table: typeof movements | typeof auditLog | typeof lots | typeof idempotencyKeys) =>
  (await db.select({ n: sql<number>`count(*)::int` }).from(table))[0]!.n;

/** Everything an action may write, to compare before and after a failure: it must have written nothing. */
export async function snapshot(db: Database): Promise<Snapshot> {
  const balances = await db.select().from(stockBalances);
  return {
    movements: await count(db, movements),
    audit: await count(db, auditLog),
    lots: await count(db, lots),
    idempotencyKeys: await count(db, idempotencyKeys),
    balances: Object.fromEntries(balances.map((b) => [`${b.locationId}|${b.lotId}`, b.quantity])),
  };
}

/** Stock on hand of one lot at one location (0 when there is no balance row). */
export async function balanceOf(db: Database, locationId: string, lotId: string): Promise<number> {
  const [row] = await db
    .select({ quantity: stockBalances.quantity })
    .from(stockBalances)
    .where(and(eq(stockBalances.locationId, locationId), eq(stockBalances.lotId, lotId)));
  return row?.quantity ?? 0;
}

/** The lot of `itemId` with `lotCode`, or throws. */
export async function lotByCode(db: Database, itemId: string, lotCode: string) {
  const [row] = await db
    .select()
    .from(lots)
    .where(and(eq(lots.itemId, itemId), eq(lots.lotCode, lotCode)));
  if (!row) throw new Error(`no lot ${lotCode}`);
  return row;
}

/** Sets a lot's status directly (there is no quarantine or recall action yet). */
export async function setLotStatus(db: Database, lotId: string, status: LotStatus): Promise<void> {
  await db.update(lots).set({ status }).where(eq(lots.id, lotId));
}

/** Awaits a rejection and checks it is a DomainError with this code (and key, and failing field). */
export async function failsWith(
  promise: Promise<unknown>,
  expected: { code: ErrorCode; key?: MessageKey; field?: string },
): Promise<DomainError> {
  const error = await promise.then(
    (value) => {
      throw new Error(`expected a ${expected.code} DomainError, got ${JSON.stringify(value)}`);
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  const domain = error as DomainError;
  expect({ code: domain.code, key: domain.key }).toEqual({ code: expected.code, key: expected.key ?? domain.key });
  if (expected.field) expect(domain.fields.map((f) => f.field)).toContain(expected.field);
  return domain;
}

/** Runs a failing action and checks it wrote nothing: no movement, balance, audit row, lot or idempotency key. */
export async function failsWithoutTrace(
  db: Database,
  run: () => Promise<unknown>,
  expected: { code: ErrorCode; key?: MessageKey; field?: string },
): Promise<DomainError> {
  const before = await snapshot(db);
  const error = await failsWith(run(), expected);
  expect(await snapshot(db)).toEqual(before);
  return error;
}

/** Settles every promise and splits the outcomes; anything but a DomainError is a failure of the test. */
export async function settle<T>(runs: Array<Promise<T>>) {
  const outcomes = await Promise.allSettled(runs);
  const ok = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
  const errors = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
  for (const error of errors) expect(error, String(error)).toBeInstanceOf(DomainError);
  return { ok, errors: errors as DomainError[] };
}
