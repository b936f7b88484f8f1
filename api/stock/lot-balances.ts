import { and, eq, gt } from 'drizzle-orm';
import { lots, stockBalances } from '../../db/schema/index.ts';
import type { Context } from '../core/context.ts';
import { anyOf } from '../core/sql-arrays.ts';

/**
 * The lots on hand (quantity above zero) of some items at some locations, with what decides whether and in
 * which order they may be used (status, expiry, lot code) and their price. Callers add their order and, when
 * they decide on the figures before writing, `.for('update', { of: stockBalances })`.
 */
export function lotBalances(db: Context['db'], where: { locationIds: string[]; itemIds: string[] }) {
  return db
    .select({
      locationId: stockBalances.locationId,
      lotId: stockBalances.lotId,
      itemId: stockBalances.itemId,
      quantity: stockBalances.quantity,
      lotCode: lots.lotCode,
      expiry: lots.expiry,
      status: lots.status,
      price: lots.purchasePrice,
    })
    .from(stockBalances)
    .innerJoin(lots, eq(lots.id, stockBalances.lotId))
    .where(
      and(
        anyOf(stockBalances.locationId, where.locationIds),
        anyOf(stockBalances.itemId, where.itemIds),
        gt(stockBalances.quantity, 0),
      ),
    );
}
