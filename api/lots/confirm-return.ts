import { z } from 'zod';
import { authorize } from '../auth/permissions.ts';
import { audit } from '../core/audit.ts';
import { withTransaction, type Context } from '../core/context.ts';
import { DomainError } from '../core/errors.ts';
import { onceForKey } from '../core/idempotency.ts';
import { assertTransition } from '../core/state-machine.ts';
import { parseInput } from '../core/validate.ts';
import { loadLocation } from '../locations/load-location.ts';
import { returnStock } from '../stock/issue-stock.ts';
import { IdempotencyKey, Quantity } from '../stock/schemas.ts';
import { lotHolders, receivingStore } from './lot-ledger.ts';
import { loadLot } from './load-lot.ts';
import { loadRecall } from './load-recall.ts';
import { progressOf } from './recall-progress.ts';
import { recallTransitions } from './recall-transitions.ts';

export const ConfirmReturnInput = z.object({
  recallId: z.uuid(),
  /** The holder sending its stock back (a ward store, a cabinet, a patient's home). */
  locationId: z.uuid(),
  /** How many units go back; all it holds when omitted. */
  quantity: Quantity.optional(),
  idempotencyKey: IdempotencyKey.optional(),
});
export type ConfirmReturnInput = z.input<typeof ConfirmReturnInput>;

/**
 * A holder confirms it sends its stock of a quarantined or recalled lot back: a return movement (through
 * `returnStock`, which checks the actor may return from that location) to the store that received the lot,
 * documented with the recall. Returns the movements and the recall's progress after them.
 */
export async function confirmReturn({ ctx, input }: { ctx: Context; input: ConfirmReturnInput }) {
  const data = parseInput(ConfirmReturnInput, input);
  return withTransaction(ctx, (tx) =>
    onceForKey(tx, 'lots.recall.return', data.idempotencyKey, data, async () => {
      const recall = await loadRecall(tx, data.recallId, true);
      // Only an open record takes returns: the table has no event for it, so we check "open" as the table's
      // precondition.
      if (recall.status !== 'open')
        assertTransition(recallTransitions, 'recall', recall.status, 'close', 'closed', [recall.kind]);
      const lot = await loadLot(tx, recall.lotId);
      const location = await loadLocation(tx, data.locationId);
      authorize(tx.actor, 'stock.return', location);
      const home = await receivingStore(tx, lot.id);
      if (!home || home === location.id) {
        throw new DomainError('validation', 'recall_destination', {
          params: { lotCode: lot.lotCode, location: location.code },
          fields: [
            {
              field: 'locationId',
              message: `Stock at ${location.code} is already at the store that received lot ${lot.lotCode}.`,
            },
          ],
        });
      }
      const onHand = (await lotHolders(tx, lot.id)).find((h) => h.location.id === location.id)?.onHand ?? 0;
      if (onHand === 0) {
        throw new DomainError('precondition_failed', 'nothing_to_return', {
          params: { lotCode: lot.lotCode, location: location.code },
          fields: [{ field: 'locationId', message: `Nothing of lot ${lot.lotCode} at ${location.code}.` }],
        });
      }
      const quantity = data.quantity ?? onHand;
      const what = recall.kind === 'recall' ? 'Richiamo / Recall' : 'Quarantena / Quarantine';
      const reference = recall.reference ? ` ${recall.reference}` : '';
      const reason = `${what}${reference}: ${recall.reason}`.slice(0, 500);
      const returned = await returnStock({
        ctx: tx,
        input: {
          fromLocationId: location.id,
          toLocationId: home,
          lines: [{ itemId: lot.itemId, lotId: lot.id, quantity }],
          reason,
          documentType: 'recall',
          documentId: recall.id,
        },
      });
      await audit(tx, {
        action: 'lots.recall.return',
        entityType: 'recall',
        entityId: recall.id,
        detail: { location: location.id, quantity, movementIds: returned.movements.map((m) => m.id) },
      });
      return { movements: returned.movements, progress: await progressOf(tx, recall) };
    }),
  );
}
