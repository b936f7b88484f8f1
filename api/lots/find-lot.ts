import { z } from 'zod';
import { detailScope } from '../auth/read-scope.ts';
import type { Context } from '../core/context.ts';
import { notFound } from '../core/errors.ts';
import { text } from '../core/text.ts';
import { parseInput } from '../core/validate.ts';
import { lotHolders } from './lot-ledger.ts';
import { listLots } from './list-lots.ts';
import { scopeHolders } from './scoped-holders.ts';

export const FindLotInput = z.object({
  lotCode: text().trim().min(1).max(20).describe('The lot (batch) code as printed on the pack, e.g. G-EARLY'),
  itemId: z.uuid().optional().describe('The item, when the same code is used by several suppliers\' items'),
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
  const { data: found } = await listLots({ ctx, input: { lotCode: data.lotCode, itemId: data.itemId, limit: maxMatches } });
  if (found.length === 0) throw notFound('lot', data.lotCode);
  const scope = detailScope(ctx.actor);
  const lots = [];
  for (const lot of found) {
    const holders = scopeHolders(scope, await lotHolders(ctx, lot.id)).filter((h) => h.onHand > 0);
    lots.push({
      id: lot.id, lotCode: lot.lotCode, expiry: lot.expiry, status: lot.status, statusReason: lot.statusReason, itemId: lot.itemId, item: lot.item,
      heldAt: holders.map((h) => ({ location: { id: h.location.id, code: h.location.code, name: h.location.name, kind: h.location.kind }, onHand: h.onHand, detail: h.detail })),
      onHand: holders.reduce((sum, h) => sum + h.onHand, 0),
    });
  }
  return { data: lots };
}
