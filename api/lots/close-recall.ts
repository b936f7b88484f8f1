import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { lotRecalls, notifications } from '../../db/schema/index.ts';
import { authorize } from '../auth/permissions.ts';
import { audit } from '../core/audit.ts';
import { withTransaction, type Context } from '../core/context.ts';
import { DomainError } from '../core/errors.ts';
import { onceForKey } from '../core/idempotency.ts';
import { assertTransition } from '../core/state-machine.ts';
import { parseInput } from '../core/validate.ts';
import { IdempotencyKey } from '../stock/schemas.ts';
import { loadRecall } from './load-recall.ts';
import { progressOf } from './recall-progress.ts';
import { recallTransitions } from './recall-transitions.ts';
import { recallView } from './recall-view.ts';
import { text } from '../core/text.ts';

export const CloseRecallInput = z.object({
  recallId: z.uuid(),
  note: text().trim().min(1).max(500).optional(),
  idempotencyKey: IdempotencyKey.optional(),
});
export type CloseRecallInput = z.input<typeof CloseRecallInput>;

/**
 * Closes a recall once nothing is out (every holder returned, or had consumed before the recall). The lot
 * stays recalled; what came back waits at the receiving store for the supplier. Refused, naming the holders,
 * while stock is still out.
 */
export async function closeRecall({ ctx, input }: { ctx: Context; input: CloseRecallInput }) {
  const data = parseInput(CloseRecallInput, input);
  authorize(ctx.actor, 'lots.status');
  return withTransaction(ctx, (tx) =>
    onceForKey(tx, 'lots.recall.close', data.idempotencyKey, data, async () => {
      const recall = await loadRecall(tx, data.recallId, true);
      assertTransition(recallTransitions, 'recall', recall.status, 'close', 'closed', [recall.kind]);
      const progress = await progressOf(tx, recall);
      const out = progress.holders.filter((h) => h.stillOut > 0);
      if (out.length) {
        const holders = out.map((h) => `${h.location.code} (${h.stillOut})`).join(', ');
        throw new DomainError('precondition_failed', 'recall_still_out', {
          params: { lotCode: progress.lot.lotCode, quantity: progress.totals.stillOut, holders },
          context: {
            stillOut: out.map((h) => ({ locationId: h.location.id, code: h.location.code, quantity: h.stillOut })),
          },
        });
      }
      const [closed] = await tx.db
        .update(lotRecalls)
        .set({ status: 'closed', closedAt: tx.now(), closedBy: tx.actor.userId, closeNote: data.note ?? null })
        .where(and(eq(lotRecalls.id, recall.id), eq(lotRecalls.status, 'open')))
        .returning();
      if (!closed) assertTransition(recallTransitions, 'recall', 'closed', 'close', 'closed', [recall.kind]);
      if (progress.returnsTo) {
        await tx.db.insert(notifications).values({
          organisationId: tx.actor.organisationId,
          kind: 'recall_closed',
          target: 'dashboard',
          locationId: progress.returnsTo.id,
          recallId: recall.id,
          payload: {
            lotId: progress.lot.id,
            lotCode: progress.lot.lotCode,
            item: progress.lot.item,
            returned: progress.totals.returned,
            atStore: progress.holders.find((h) => h.returnsTo)?.onHand ?? 0,
          },
        });
      }
      await audit(tx, {
        action: 'lots.recall.close',
        entityType: 'recall',
        entityId: recall.id,
        detail: { note: data.note ?? null, totals: progress.totals },
      });
      return { recall: recallView(closed!), totals: progress.totals };
    }),
  );
}
