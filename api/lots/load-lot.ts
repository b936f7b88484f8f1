import { and, eq } from 'drizzle-orm';
import { lots } from '../../db/schema/index.ts';
import type { Context } from '../core/context.ts';
import { DomainError, invalid } from '../core/errors.ts';
import { ownedRowLoader } from '../core/load-rows.ts';

export type LotRow = typeof lots.$inferSelect;

const loader = ownedRowLoader(lots, 'lot');

/** Loads a lot by id within the actor's organisation, or throws `not_found`. */
export async function loadLot(ctx: Context, id: string): Promise<LotRow> {
  return loader.one(ctx, id);
}

/** Loads several lots of the actor's organisation at once, keyed by id; any missing id is `not_found`. */
export async function loadLots(ctx: Context, ids: string[]): Promise<Map<string, LotRow>> {
  return loader.many(ctx, ids);
}

/**
 * The lot an incoming line belongs to: found by item and lot code, or created. A lot code already
 * known with another expiry is refused (a typing error, or a different lot mislabelled).
 */
export async function findOrCreateLot(
  ctx: Context,
  line: { itemId: string; lotCode: string; expiry: string | null; supplierId: string | null; unitPrice: string | null },
  field: string,
): Promise<LotRow> {
  const [existing] = await ctx.db
    .select()
    .from(lots)
    .where(and(eq(lots.itemId, line.itemId), eq(lots.lotCode, line.lotCode)));
  if (existing) {
    if (line.expiry && existing.expiry && existing.expiry !== line.expiry) {
      throw invalid(`${field}.expiry`, 'lot_item_mismatch', { lotCode: line.lotCode, expiry: existing.expiry });
    }
    if (existing.status === 'recalled') {
      throw new DomainError('precondition_failed', 'lot_unavailable', {
        params: { lotCode: existing.lotCode, status: existing.status },
        fields: [{ field: `${field}.lotCode`, message: `Lot ${existing.lotCode} is recalled.` }],
      });
    }
    return existing;
  }
  const [created] = await ctx.db
    .insert(lots)
    .values({
      organisationId: ctx.actor.organisationId,
      itemId: line.itemId,
      lotCode: line.lotCode,
      expiry: line.expiry,
      supplierId: line.supplierId,
      purchasePrice: line.unitPrice,
    })
    .onConflictDoNothing({ target: [lots.itemId, lots.lotCode] })
    .returning();
  // A concurrent receipt created the same lot since we looked (the insert waited for it): use it, with the same checks.
  return created ?? findOrCreateLot(ctx, line, field);
}
