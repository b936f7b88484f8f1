import { and, eq } from 'drizzle-orm';
import { movements } from '../../db/schema/index.ts';
import { authorize, authorizeMove } from '../auth/permissions.ts';
import { audit, movementIds } from '../core/audit.ts';
import { constraintName, sqlState, withTransaction, type Context } from '../core/context.ts';
import { DomainError, notFound } from '../core/errors.ts';
import { onceForKey } from '../core/idempotency.ts';
import { parseInput } from '../core/validate.ts';
import { loadLocations } from '../locations/load-location.ts';
import { postMovements } from './ledger.ts';
import { toMovementView, type MovementsResult } from './movement-view.ts';
import { ReverseMovementInput } from './schemas.ts';

const alreadyReversed = (id: number) =>
  new DomainError('conflict', 'already_reversed', {
    params: { id },
    fields: [{ field: 'movementId', message: `Movement ${id} has already been reversed.` }],
  });

type Original = typeof movements.$inferSelect;

/**
 * Reverses a movement with a new movement of kind `reversal` that swaps its sides: the ledger is never
 * edited. Each movement is reversed at most once; the stock it put somewhere must still be there. By hand,
 * `movement.reverse` is needed where the movement was authored (its source, or the receiver of a receipt)
 * and its other side must be in that role's reach; a leg through in-transit is never reversed by hand (its
 * issue note is).
 */
export async function reverseMovement({
  ctx,
  input,
}: {
  ctx: Context;
  input: unknown;
}): Promise<MovementsResult & { replayed: boolean }> {
  return reverse(ctx, input, async (tx, original) => {
    const byId = await loadLocations(
      tx,
      [original.fromLocationId, original.toLocationId].filter((id): id is string => id !== null),
    );
    const author = byId.get(original.fromLocationId ?? original.toLocationId!)!;
    const other = original.fromLocationId && original.toLocationId ? byId.get(original.toLocationId)! : null;
    if (other) authorizeMove(tx.actor, 'movement.reverse', author, other);
    else authorize(tx.actor, 'movement.reverse', author);
  });
}

/**
 * Reverses a movement for the flow that owns it (an issue note's leg into in-transit), which has authorised the actor
 * itself.
 */
export async function reverseFlowMovement({
  ctx,
  input,
}: {
  ctx: Context;
  input: unknown;
}): Promise<MovementsResult & { replayed: boolean }> {
  return reverse(ctx, input, async () => {});
}

async function reverse(
  ctx: Context,
  input: unknown,
  authorizeOn: (tx: Context, original: Original) => Promise<void>,
): Promise<MovementsResult & { replayed: boolean }> {
  const data = parseInput(ReverseMovementInput, input);
  try {
    return await withTransaction(ctx, async (tx) => {
      const [original] = await tx.db
        .select()
        .from(movements)
        .where(and(eq(movements.id, data.movementId), eq(movements.organisationId, tx.actor.organisationId)))
        // Reversals of one movement queue here, so the second sees the first's reversal (already reversed)
        // rather than the stock it took (insufficient stock). The row itself is never updated.
        .for('no key update');
      if (!original) throw notFound('movement', String(data.movementId));
      await authorizeOn(tx, original);
      return onceForKey(tx, 'movement.reverse', data.idempotencyKey, data, async () => {
        if (original.kind === 'reversal') {
          throw new DomainError('precondition_failed', 'cannot_reverse_reversal', {
            fields: [{ field: 'movementId', message: 'A reversal cannot itself be reversed.' }],
          });
        }
        const [existing] = await tx.db
          .select({ id: movements.id })
          .from(movements)
          .where(eq(movements.reversesId, original.id));
        if (existing) throw alreadyReversed(original.id);
        const posted = await postMovements(tx, [
          {
            kind: 'reversal',
            reversesId: original.id,
            itemId: original.itemId,
            lotId: original.lotId,
            quantity: original.quantity,
            fromLocationId: original.toLocationId,
            toLocationId: original.fromLocationId,
            unitPrice: original.unitPrice,
            documentType: original.documentType,
            documentId: original.documentId,
            reason: data.reason,
            idempotencyKey: data.idempotencyKey ?? null,
          },
        ]);
        await audit(tx, {
          action: 'movement.reverse',
          entityType: 'movement',
          entityId: String(original.id),
          detail: { reversal: posted[0]!.id, ...movementIds(posted), reason: data.reason },
        });
        return { movements: posted.map(toMovementView) };
      });
    });
  } catch (error) {
    // Two concurrent reversals of one movement: the unique index lets one through.
    if (sqlState(error) === '23505' && constraintName(error) === 'movements_reverses_uq')
      throw alreadyReversed(data.movementId);
    throw error;
  }
}
