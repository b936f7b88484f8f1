import { sql } from 'drizzle-orm';
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
  /** Who moved it, when one write carries several actors' movements (a batch of device readings); else the context's actor. */
  actorId?: string | null;
}

export type Movement = typeof movements.$inferSelect;

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Appends movements to the ledger and applies them to the balances, in the caller's transaction.
 * The only writer of `stock_balances`, set-based whatever the number of lines: the touched balances are
 * locked (created if missing) in a fixed order (location, lot) so concurrent writers queue instead of
 * deadlocking, checked under the lock (two takers of the last units get one success and one
 * `insufficient_stock`), then changed in one update. The `quantity >= 0` check constraint is the last
 * line of defence.
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
  const ordered = [...deltas.values()].filter((d) => d.delta !== 0).sort((a, b) => compare(a.locationId, b.locationId) || compare(a.lotId, b.lotId));
  if (ordered.length) {
    // Lock every balance this write touches in one statement, in key order, creating the missing ones at
    // zero: concurrent writers queue instead of deadlocking, and what we read cannot change until we
    // commit. (Locking with a select and inserting the missing rows afterwards breaks the order: a row a
    // concurrent writer created after our snapshot is locked last, and two writers deadlock on it.)
    const locked = await ctx.db
      .insert(stockBalances)
      .values(ordered.map(({ locationId, lotId, itemId }) => ({ locationId, lotId, itemId, quantity: 0 })))
      .onConflictDoUpdate({ target: [stockBalances.locationId, stockBalances.lotId], set: { quantity: sql`${stockBalances.quantity}` } })
      .returning({ locationId: stockBalances.locationId, lotId: stockBalances.lotId, quantity: stockBalances.quantity });
    const current = new Map(locked.map((r) => [`${r.locationId}|${r.lotId}`, r.quantity]));
    for (const d of ordered) {
      const available = current.get(`${d.locationId}|${d.lotId}`) ?? 0;
      if (available + d.delta < 0) throw insufficientStock({ lotId: d.lotId, itemId: d.itemId, locationId: d.locationId, requested: -d.delta, available });
    }
    const rows = sql.join(ordered.map((d) => sql`(${d.locationId}::uuid, ${d.lotId}::uuid, ${d.delta}::int)`), sql`, `);
    await ctx.db.execute(sql`
      update ${stockBalances} set quantity = ${stockBalances}.quantity + d.delta, updated_at = now()
      from (values ${rows}) as d(location_id, lot_id, delta)
      where ${stockBalances}.location_id = d.location_id and ${stockBalances}.lot_id = d.lot_id`);
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
        actorId: d.actorId === undefined ? ctx.actor.userId : d.actorId,
        channel: ctx.actor.channel,
        idempotencyKey: d.idempotencyKey ?? null,
        occurredAt: d.occurredAt ?? ctx.now(),
      })),
    )
    .returning();
}
