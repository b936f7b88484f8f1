import { and, eq } from 'drizzle-orm';
import { lots, stockBalances } from '../../db/schema/index.ts';
import { authorize } from '../auth/permissions.ts';
import { audit, movementIds } from '../core/audit.ts';
import { withTransaction, type Context } from '../core/context.ts';
import { onceForKey } from '../core/idempotency.ts';
import { parseInput } from '../core/validate.ts';
import { loadLocation } from '../locations/load-location.ts';
import { loadLot } from '../lots/load-lot.ts';
import { postMovements } from './ledger.ts';
import { toMovementView, type MovementView } from './movement-view.ts';
import { AdjustStockInput } from './schemas.ts';

export interface AdjustStockResult {
  movements: MovementView[];
  previousQuantity: number;
  countedQuantity: number;
}

/**
 * Adjusts a lot's stock at a location after a physical count: the difference becomes an adjustment
 * movement (in or out). A count equal to the stock on hand writes no movement but is audited.
 */
export async function adjustStock({
  ctx,
  input,
}: {
  ctx: Context;
  input: unknown;
}): Promise<AdjustStockResult & { replayed: boolean }> {
  const data = parseInput(AdjustStockInput, input);
  return withTransaction(ctx, async (tx) => {
    const location = await loadLocation(tx, data.locationId);
    authorize(tx.actor, 'stock.adjust', location);
    return onceForKey(tx, 'stock.adjust', data.idempotencyKey, data, async () => {
      const lot = await loadLot(tx, data.lotId);
      // Counts of one lot queue on the lot row: where no balance row exists yet there is nothing else to
      // lock, and two counts would both find 0 and both book the whole count.
      await tx.db.select({ id: lots.id }).from(lots).where(eq(lots.id, lot.id)).for('no key update');
      const [balance] = await tx.db
        .select({ quantity: stockBalances.quantity })
        .from(stockBalances)
        .where(and(eq(stockBalances.locationId, location.id), eq(stockBalances.lotId, lot.id)))
        .for('update');
      const previousQuantity = balance?.quantity ?? 0;
      const delta = data.countedQuantity - previousQuantity;
      const posted =
        delta === 0
          ? []
          : await postMovements(tx, [
              {
                kind: 'adjustment',
                itemId: lot.itemId,
                lotId: lot.id,
                quantity: Math.abs(delta),
                fromLocationId: delta < 0 ? location.id : null,
                toLocationId: delta > 0 ? location.id : null,
                unitPrice: lot.purchasePrice,
                reason: data.reason,
                idempotencyKey: data.idempotencyKey ?? null,
              },
            ]);
      await audit(tx, {
        action: 'stock.adjust',
        entityType: 'lot',
        entityId: lot.id,
        detail: {
          ...movementIds(posted),
          location: location.id,
          previousQuantity,
          countedQuantity: data.countedQuantity,
          reason: data.reason,
        },
      });
      return { movements: posted.map(toMovementView), previousQuantity, countedQuantity: data.countedQuantity };
    });
  });
}
