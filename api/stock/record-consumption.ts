import type { Context } from '../core/context.ts';
import { authorize } from '../auth/permissions.ts';
import { audit, movementIds } from '../core/audit.ts';
import { withTransaction } from '../core/context.ts';
import { onceForKey } from '../core/idempotency.ts';
import { parseInput } from '../core/validate.ts';
import { loadLocation } from '../locations/load-location.ts';
import { moveStock } from './move-stock.ts';
import { toMovementView, type MovementsResult } from './movement-view.ts';
import { RecordConsumptionInput } from './schemas.ts';

/** Records stock used at a location (a ward, a cabinet, a patient's home): it leaves the ledger. FEFO when no lot is named. */
export async function recordConsumption({ ctx, input }: { ctx: Context; input: unknown }): Promise<MovementsResult & { replayed: boolean }> {
  const data = parseInput(RecordConsumptionInput, input);
  return withTransaction(ctx, async (tx) => {
    const location = await loadLocation(tx, data.locationId);
    authorize(tx.actor, 'stock.consume', location);
    return onceForKey(tx, 'stock.consume', data.idempotencyKey, data, async () => {
      const posted = await moveStock(tx, { kind: 'consumption', ...data, fromLocationId: location.id, toLocationId: null, requireUsable: true });
      await audit(tx, { action: 'stock.consume', entityType: 'movement', entityId: String(posted[0]!.id), detail: { ...movementIds(posted), location: location.id } });
      return { movements: posted.map(toMovementView) };
    });
  });
}
