import { and, eq, sql } from 'drizzle-orm';
import { movements, stockBalances, type MovementKind } from '../../db/schema/index.ts';
import type { Context } from '../core/context.ts';
import { insufficientStock } from '../core/errors.ts';

export interface MovementDraft {
  kind: MovementKind;
  itemId: string;
  lotId: string;
  quantity: number;
  fromLocationId: string | null;
  toLocationId: string | null;
  unitPrice?: string | null;
  documentType?: string | null;
  documentId?: string | null;
  reason?: string | null;
  reversesId?: number | null;
  idempotencyKey?: string | null;
  occurredAt?: Date;
}

export type Movement = typeof movements.$inferSelect;

/**
 * Appends movements to the ledger and applies them to the balances, in the caller's transaction.
 * The only writer of `stock_balances`. Balance keys are touched in a fixed order (location, lot) so
 * concurrent writers cannot deadlock; a decrement is a conditional update (`quantity >= n`), so two
 * takers of the last units get one success and one `insufficient_stock`, and nothing goes negative.
 */
export async function postMovements(ctx: Context, drafts: MovementDraft[]): Promise<Movement[]> {
  if (drafts.length === 0) return [];
  const deltas = new Map<string, { locationId: string; lotId: string; itemId: string; delta: number }>();
  const bump = (locationId: string | null, lotId: string, itemId: string, delta: number) => {
    if (!locationId) return;
    const key = `${locationId}|${lotId}`;
    const entry = deltas.get(key) ?? { locationId, lotId, itemId, delta: 0 };
    entry.delta += delta;
    deltas.set(key, entry);
  };
  for (const d of drafts) {
    bump(d.fromLocationId, d.lotId, d.itemId, -d.quantity);
    bump(d.toLocationId, d.lotId, d.itemId, d.quantity);
  }
  const ordered = [...deltas.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
  for (const { locationId, lotId, itemId, delta } of ordered) {
    if (delta < 0) {
      const updated = await ctx.db
        .update(stockBalances)
        .set({ quantity: sql`${stockBalances.quantity} - ${-delta}`, updatedAt: sql`now()` })
        .where(and(eq(stockBalances.locationId, locationId), eq(stockBalances.lotId, lotId), sql`${stockBalances.quantity} >= ${-delta}`))
        .returning({ quantity: stockBalances.quantity });
      if (updated.length === 0) {
        const [row] = await ctx.db
          .select({ quantity: stockBalances.quantity })
          .from(stockBalances)
          .where(and(eq(stockBalances.locationId, locationId), eq(stockBalances.lotId, lotId)));
        throw insufficientStock({ lotId, itemId, locationId, requested: -delta, available: row?.quantity ?? 0 });
      }
    } else if (delta > 0) {
      await ctx.db
        .insert(stockBalances)
        .values({ locationId, lotId, itemId, quantity: delta })
        .onConflictDoUpdate({
          target: [stockBalances.locationId, stockBalances.lotId],
          set: { quantity: sql`${stockBalances.quantity} + ${delta}`, updatedAt: sql`now()` },
        });
    }
  }
  return ctx.db
    .insert(movements)
    .values(
      drafts.map((d) => ({
        organisationId: ctx.actor.organisationId,
        kind: d.kind,
        itemId: d.itemId,
        lotId: d.lotId,
        quantity: d.quantity,
        fromLocationId: d.fromLocationId,
        toLocationId: d.toLocationId,
        unitPrice: d.unitPrice ?? null,
        documentType: d.documentType ?? null,
        documentId: d.documentId ?? null,
        reason: d.reason ?? null,
        reversesId: d.reversesId ?? null,
        actorId: ctx.actor.userId,
        channel: ctx.actor.channel,
        idempotencyKey: d.idempotencyKey ?? null,
        occurredAt: d.occurredAt ?? ctx.now(),
      })),
    )
    .returning();
}
