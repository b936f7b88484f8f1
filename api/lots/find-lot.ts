import { and, asc, eq, gt, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { locations, stockBalances } from '../../db/schema/index.ts';
import { detailScope } from '../auth/read-scope.ts';
import type { Context } from '../core/context.ts';
import { notFound } from '../core/errors.ts';
import { text } from '../core/text.ts';
import { parseInput } from '../core/validate.ts';
import { listLots } from './list-lots.ts';

export const FindLotInput = z.object({
  lotCode: text().trim().min(1).max(20).describe('The lot (batch) code as printed on the pack, e.g. G-EARLY'),
  itemId: z.uuid().optional().describe("The item, when the same code is used by several suppliers' items"),
});
export type FindLotInput = z.input<typeof FindLotInput>;

/** Lots sharing one code across items: more than this is a typing error, not a search. */
const maxMatches = 20;

/**
 * The lots with this code (one per item that uses it), each with its status, expiry and where it is held now,
 * under the read rule (`detailScope`): holders the actor may read are `full`, the others `totals` only — either
 * way the quantity on hand, never their movements. `not_found` when no lot has the code.
 */
export async function findLot({ ctx, input }: { ctx: Context; input: FindLotInput }) {
  const data = parseInput(FindLotInput, input);
  const { data: found } = await listLots({
    ctx,
    input: { lotCode: data.lotCode, itemId: data.itemId, limit: maxMatches },
  });
  if (found.length === 0) throw notFound('lot', data.lotCode);
  const scope = detailScope(ctx.actor);
  // Where each lot is now: its balances, one query for every lot found.
  const held = await ctx.db
    .select({
      lotId: stockBalances.lotId,
      onHand: stockBalances.quantity,
      location: {
        id: locations.id,
        organisationId: locations.organisationId,
        code: locations.code,
        name: locations.name,
        kind: locations.kind,
        path: locations.path,
      },
    })
    .from(stockBalances)
    .innerJoin(locations, eq(locations.id, stockBalances.locationId))
    .where(
      and(
        inArray(
          stockBalances.lotId,
          found.map((l) => l.id),
        ),
        gt(stockBalances.quantity, 0),
      ),
    )
    .orderBy(asc(locations.code));
  const lots = found.map((lot) => {
    const holders = held.filter((h) => h.lotId === lot.id);
    return {
      id: lot.id,
      lotCode: lot.lotCode,
      expiry: lot.expiry,
      status: lot.status,
      statusReason: lot.statusReason,
      itemId: lot.itemId,
      item: lot.item,
      heldAt: holders.map(({ location, onHand }) => ({
        location: { id: location.id, code: location.code, name: location.name, kind: location.kind },
        onHand,
        detail: scope.sees(location) ? ('full' as const) : ('totals' as const),
      })),
      onHand: holders.reduce((sum, h) => sum + h.onHand, 0),
    };
  });
  return { data: lots };
}
