import { aliasedTable, and, asc, eq, gt, or } from 'drizzle-orm';
import { z } from 'zod';
import { items, locations, movements } from '../../db/schema/index.ts';
import { authorize } from '../auth/permissions.ts';
import { detailScope } from '../auth/read-scope.ts';
import type { Context } from '../core/context.ts';
import { decodeCursor, encodeCursor, Limit } from '../core/pagination.ts';
import { localDate } from '../core/time.ts';
import { parseInput } from '../core/validate.ts';
import { toMovementView } from '../stock/movement-view.ts';
import { loadLot } from './load-lot.ts';
import { lotHolders } from './lot-ledger.ts';
import { effectiveStatus } from './lot-rules.ts';
import { scopeHolders, totalsOnly } from './scoped-holders.ts';
import { text } from '../core/text.ts';

export const LotHistoryInput = z.object({ lotId: z.uuid(), limit: Limit, cursor: text().optional() });
export type LotHistoryInput = z.input<typeof LotHistoryInput>;

const fromLoc = aliasedTable(locations, 'from_loc');
const toLoc = aliasedTable(locations, 'to_loc');

/**
 * Every movement of a lot the actor may see, oldest first, read from the ledger (keyset-paginated on movement
 * id). The read rule is `detailScope`: full rows for movements touching her locations; `others` are the lot's
 * other holders as totals only (empty for stores roles and admins, who see every movement).
 */
export async function lotHistory({ ctx, input }: { ctx: Context; input: LotHistoryInput }) {
  const data = parseInput(LotHistoryInput, input);
  authorize(ctx.actor, 'lots.read');
  const scope = detailScope(ctx.actor);
  const lot = await loadLot(ctx, data.lotId);
  const [item] = await ctx.db
    .select({ code: items.code, name: items.name, nameEn: items.nameEn })
    .from(items)
    .where(eq(items.id, lot.itemId));
  const after = decodeCursor(data.cursor, z.number().int().nonnegative()) ?? 0;
  const where = and(eq(movements.lotId, lot.id), gt(movements.id, after));
  const rows = scope.all
    ? await ctx.db
        .select()
        .from(movements)
        .where(where)
        .orderBy(asc(movements.id))
        .limit(data.limit + 1)
    : (
        await ctx.db
          .select({ m: movements })
          .from(movements)
          .leftJoin(fromLoc, eq(fromLoc.id, movements.fromLocationId))
          .leftJoin(toLoc, eq(toLoc.id, movements.toLocationId))
          .where(and(where, or(scope.seesSql(fromLoc), scope.seesSql(toLoc))))
          .orderBy(asc(movements.id))
          .limit(data.limit + 1)
      ).map((r) => r.m);
  const page = rows.slice(0, data.limit);
  const others = scope.all ? [] : totalsOnly(scopeHolders(scope, await lotHolders(ctx, lot.id)));
  return {
    lot: {
      ...lot,
      status: effectiveStatus(lot, localDate(ctx.now())),
      createdAt: new Date(lot.createdAt).toISOString(),
      item,
    },
    detail: scope.all ? ('all' as const) : ('own' as const),
    data: page.map(toMovementView),
    others,
    nextCursor: rows.length > data.limit ? encodeCursor(page.at(-1)!.id) : null,
  };
}
